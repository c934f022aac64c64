import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { LocaleSchema } from '../core/ids.js';
import type { E164 } from '../core/phone.js';
import type { DingTalkLink, UserSettings, UserStore } from '../core/ports.js';
import { batchGetAll } from './dynamodb.js';

/** One item per user, keyed `userId`: the phone, the locale and what DingTalk said about the phone. */
const UserItem = z.object({
  userId: z.string(),
  phone: z.string(),
  locale: LocaleSchema,
  dingtalkStatus: z.enum(['linked', 'not_found', 'unverified']),
  dingtalkUserId: z.string().optional(),
  checkedAt: z.string().optional(),
  updatedAt: z.string(),
});

export class DynamoUserStore implements UserStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(userId: string): Promise<UserSettings | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { userId } }));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async getMany(userIds: readonly string[]): Promise<Map<string, UserSettings>> {
    const keys = [...new Set(userIds)].map((userId) => ({ userId }));
    const items = await batchGetAll(this.db, this.table, keys);
    return new Map(items.map((item) => [String(item.userId), fromItem(item)]));
  }

  async put(settings: UserSettings): Promise<void> {
    const { dingtalk, ...rest } = settings;
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...rest, ...linkAttributes(dingtalk) } }));
  }

  async delete(userId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: { userId } }));
  }

  async saveLink(userId: string, phone: E164, link: DingTalkLink): Promise<void> {
    const attrs = linkAttributes(link);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { userId },
          // A PUT with another phone (or a DELETE) since the look-up wins: the answer was about the old phone.
          ConditionExpression: 'phone = :phone',
          UpdateExpression:
            link.status === 'linked'
              ? 'SET dingtalkStatus = :status, dingtalkUserId = :dingtalkUserId, checkedAt = :checkedAt'
              : link.status === 'not_found'
                ? 'SET dingtalkStatus = :status, checkedAt = :checkedAt REMOVE dingtalkUserId'
                : 'SET dingtalkStatus = :status REMOVE dingtalkUserId, checkedAt',
          ExpressionAttributeValues: {
            ':phone': phone,
            ':status': attrs.dingtalkStatus,
            ...(attrs.dingtalkUserId ? { ':dingtalkUserId': attrs.dingtalkUserId } : {}),
            ...(attrs.checkedAt ? { ':checkedAt': attrs.checkedAt } : {}),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function linkAttributes(link: DingTalkLink) {
  return {
    dingtalkStatus: link.status,
    dingtalkUserId: link.status === 'linked' ? link.dingtalkUserId : undefined,
    checkedAt: link.status === 'unverified' ? undefined : link.checkedAt,
  };
}

function fromItem(raw: Record<string, unknown>): UserSettings {
  const item = UserItem.parse(raw);
  const dingtalk: DingTalkLink =
    item.dingtalkStatus === 'linked' && item.dingtalkUserId && item.checkedAt
      ? { status: 'linked', dingtalkUserId: item.dingtalkUserId, checkedAt: item.checkedAt }
      : item.dingtalkStatus === 'not_found' && item.checkedAt
        ? { status: 'not_found', checkedAt: item.checkedAt }
        : { status: 'unverified' };
  return { userId: item.userId, phone: item.phone as E164, locale: item.locale, dingtalk, updatedAt: item.updatedAt };
}
