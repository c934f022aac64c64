import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import type { EventRecord, EventState, EventStore } from '../core/ports.js';
import type { RecipientOutcome } from '../core/recipients.js';
import { parseStoredTicketEvent, TICKET_EVENT_TYPES } from '../core/ticket-event.js';

/**
 * One item per ticket event, keyed `eventId`, expiring (`expiresAt`, DynamoDB TTL) after the retention period.
 * The posted body is kept as a JSON string: the worker reads it back from here, never from the queue.
 */
const EventItem = z.object({
  eventId: z.string(),
  type: z.enum(TICKET_EVENT_TYPES),
  ticketId: z.string(),
  projectId: z.string(),
  state: z.enum(['queued', 'processed', 'failed']),
  event: z.string(),
  receivedAt: z.string(),
  enqueuedAt: z.string().optional(),
  sentTo: z.set(z.string()).optional(),
  recipients: z
    .array(
      z.object({
        userId: z.string(),
        roles: z.array(z.enum(['creator', 'assignee', 'follower', 'added_assignee', 'removed_assignee', 'mentioned'])),
        outcome: z.enum(['actor', 'project_not_connected', 'no_phone', 'not_on_dingtalk', 'sent', 'failed']),
      }),
    )
    .optional(),
});

export class DynamoEventStore implements EventStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly retentionDays: number,
  ) {}

  async create(record: EventRecord): Promise<{ created: true } | { created: false; existing: EventRecord }> {
    const { event, sentTo: _sentTo, recipients: _recipients, ...rest } = record;
    const { type: _type, ...body } = event;
    const expiresAt = Math.floor(Date.parse(record.receivedAt) / 1000) + this.retentionDays * 86400;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...rest, event: JSON.stringify(body), expiresAt },
          ConditionExpression: 'attribute_not_exists(eventId)',
        }),
      );
      return { created: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(record.eventId);
      if (!existing) throw new Error('event vanished between a failed conditional put and its read');
      return { created: false, existing };
    }
  }

  async markEnqueued(eventId: string, at: string): Promise<void> {
    await this.update(eventId, 'SET enqueuedAt = :at', { ':at': at });
  }

  async get(eventId: string): Promise<EventRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: { eventId }, ConsistentRead: true }));
    return out.Item ? fromItem(out.Item) : undefined;
  }

  async claim(eventId: string, now: Date, until: Date): Promise<{ claimed: boolean; record?: EventRecord }> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { eventId },
          ConditionExpression: 'attribute_exists(eventId) AND #state <> :processed AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
          UpdateExpression: 'SET leaseUntil = :until',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':processed': 'processed', ':now': now.toISOString(), ':until': until.toISOString() },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true, record: fromItem(out.Attributes!) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The item as it was comes back in DynamoDB's own format (the document client does not convert errors).
      return { claimed: false, record: error.Item ? fromItem(unmarshall(error.Item)) : undefined };
    }
  }

  async release(eventId: string): Promise<void> {
    await this.update(eventId, 'REMOVE leaseUntil', undefined);
  }

  async recordSent(eventId: string, userIds: readonly string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.update(eventId, 'ADD sentTo :ids', { ':ids': new Set(userIds) });
  }

  async finish(eventId: string, state: Exclude<EventState, 'queued'>, recipients: readonly RecipientOutcome[]): Promise<void> {
    await this.update(eventId, 'SET #state = :state, recipients = :recipients REMOVE leaseUntil', { ':state': state, ':recipients': recipients }, { '#state': 'state' });
  }

  private async update(eventId: string, expression: string, values: Record<string, unknown> | undefined, names?: Record<string, string>) {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { eventId },
        ConditionExpression: 'attribute_exists(eventId)',
        UpdateExpression: expression,
        ExpressionAttributeValues: values,
        ExpressionAttributeNames: names,
      }),
    );
  }
}

function fromItem(raw: Record<string, unknown>): EventRecord {
  const item = EventItem.parse(raw);
  return {
    ...item,
    event: parseStoredTicketEvent(item.type, JSON.parse(item.event)),
    sentTo: [...(item.sentTo ?? [])],
    recipients: item.recipients ?? [],
  };
}
