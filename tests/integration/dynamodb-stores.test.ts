import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../lib/adapters/dynamodb.js';
import { DynamoEventStore } from '../../lib/adapters/event-store.js';
import { DynamoProjectStore } from '../../lib/adapters/project-store.js';
import { DynamoUserStore } from '../../lib/adapters/user-store.js';
import type { E164 } from '../../lib/core/phone.js';
import type { EventRecord, UserSettings } from '../../lib/core/ports.js';
import { statusChanged } from '../events.js';

const client = new DynamoDBClient({ region: 'ap-southeast-1', endpoint: inject('dynamodbEndpoint'), credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
const db = createDocumentClient(client);
let tables: string[] = [];

/** A fresh table per test, keyed like the one in serverless.yml. */
async function table(key: string, ttl?: string): Promise<string> {
  const name = `test-${key}-${randomUUID()}`;
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
    }),
  );
  if (ttl) await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: ttl, Enabled: true } }));
  tables.push(name);
  return name;
}

afterEach(async () => {
  await Promise.all(tables.map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
  tables = [];
});

const settings = (userId: string, phone = '+84912345678'): UserSettings => ({
  userId,
  phone: phone as E164,
  locale: 'vi',
  dingtalk: { status: 'linked', dingtalkUserId: `dt-${userId}`, checkedAt: '2026-12-04T10:00:00.000Z' },
  updatedAt: '2026-12-04T10:00:00.000Z',
});

describe('DynamoUserStore', () => {
  let store: DynamoUserStore;
  beforeEach(async () => {
    store = new DynamoUserStore(db, await table('userId'));
  });

  it('round-trips every DingTalk status', async () => {
    await store.put(settings('a'));
    await store.put({ ...settings('b'), dingtalk: { status: 'not_found', checkedAt: '2026-12-04T09:00:00.000Z' } });
    await store.put({ ...settings('c'), dingtalk: { status: 'unverified' } });
    expect(await store.get('a')).toEqual(settings('a'));
    expect((await store.get('b'))!.dingtalk).toEqual({ status: 'not_found', checkedAt: '2026-12-04T09:00:00.000Z' });
    expect((await store.get('c'))!.dingtalk).toEqual({ status: 'unverified' });
    expect(await store.get('nobody')).toBeUndefined();
  });

  it('reads 250 users in batches and leaves unknown ones out', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `u-${i}`);
    await Promise.all(ids.map((id) => store.put(settings(id))));
    const found = await store.getMany([...ids, 'missing', 'u-1']);
    expect(found.size).toBe(250);
    expect(found.get('u-249')).toEqual(settings('u-249'));
  });

  it('saves what DingTalk said only while the phone is unchanged', async () => {
    await store.put({ ...settings('a'), dingtalk: { status: 'unverified' } });
    await store.saveLink('a', '+84999999999' as E164, { status: 'linked', dingtalkUserId: 'stale', checkedAt: '2026-12-04T10:00:00.000Z' });
    expect((await store.get('a'))!.dingtalk).toEqual({ status: 'unverified' });
    await store.saveLink('a', '+84912345678' as E164, { status: 'not_found', checkedAt: '2026-12-04T11:00:00.000Z' });
    expect((await store.get('a'))!.dingtalk).toEqual({ status: 'not_found', checkedAt: '2026-12-04T11:00:00.000Z' });
    await store.saveLink('ghost', '+84912345678' as E164, { status: 'unverified' });
    expect(await store.get('ghost')).toBeUndefined();
  });

  it('forgets the phone and the DingTalk id on delete', async () => {
    await store.put(settings('a'));
    await store.delete('a');
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
  });
});

describe('DynamoProjectStore', () => {
  it('writes 1000 connections in batches and reads them back in batches', async () => {
    const store = new DynamoProjectStore(db, await table('projectId'));
    const connections = Array.from({ length: 1000 }, (_, i) => ({ projectId: `p-${i}`, connected: i % 2 === 0, updatedBy: 'o', updatedAt: 'now' }));
    await store.putMany(connections);
    const found = await store.getMany(connections.slice(0, 100).map((c) => c.projectId));
    expect(found.size).toBe(100);
    expect(found.get('p-3')).toEqual({ projectId: 'p-3', connected: false, updatedBy: 'o', updatedAt: 'now' });
    expect(await store.get('p-998')).toEqual(connections[998]);
  });
});

describe('DynamoEventStore', () => {
  const record = (): EventRecord => {
    const event = statusChanged();
    return { eventId: event.eventId, type: event.type, ticketId: 't-42', projectId: 'p-1', state: 'queued', event, receivedAt: '2026-12-04T10:00:00.000Z', sentTo: [], recipients: [] };
  };

  it('keeps the first post of an event id and answers the existing record for a repeat', async () => {
    const name = await table('eventId', 'expiresAt');
    const store = new DynamoEventStore(db, name, 30);
    const first = record();
    expect(await store.create(first)).toEqual({ created: true });
    const again = await store.create({ ...first, ticketId: 'other' });
    expect(again.created).toBe(false);
    expect(again.created === false && again.existing.ticketId).toBe('t-42');
    expect((await store.get(first.eventId))!.event).toEqual(first.event);
  });

  it('expires events after the retention period (DynamoDB TTL)', async () => {
    const name = await table('eventId', 'expiresAt');
    const store = new DynamoEventStore(db, name, 30);
    const r = record();
    await store.create(r);
    const { Item } = await db.send(new GetCommand({ TableName: name, Key: { eventId: r.eventId } }));
    expect(Item!.expiresAt).toBe(Date.parse('2026-12-04T10:00:00.000Z') / 1000 + 30 * 86400);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
  });

  it('records sends, enqueueing and the final outcomes', async () => {
    const store = new DynamoEventStore(db, await table('eventId'), 30);
    const r = record();
    await store.create(r);
    await store.markEnqueued(r.eventId, '2026-12-04T10:00:01.000Z');
    await store.recordSent(r.eventId, ['a', 'b']);
    await store.recordSent(r.eventId, ['b', 'c']);
    await store.finish(r.eventId, 'processed', [{ userId: 'a', roles: ['creator'], outcome: 'sent' }]);
    const stored = (await store.get(r.eventId))!;
    expect(stored.enqueuedAt).toBe('2026-12-04T10:00:01.000Z');
    expect(stored.sentTo.sort()).toEqual(['a', 'b', 'c']);
    expect(stored.state).toBe('processed');
    expect(stored.recipients).toEqual([{ userId: 'a', roles: ['creator'], outcome: 'sent' }]);
  });

  it('leases an event to one worker at a time, reading it in the same request', async () => {
    const store = new DynamoEventStore(db, await table('eventId'), 30);
    const r = record();
    await store.create(r);
    const t0 = new Date('2026-12-04T10:00:00.000Z');
    const later = (s: number) => new Date(t0.getTime() + s * 1000);
    const first = await store.claim(r.eventId, t0, later(90));
    expect(first.claimed).toBe(true);
    expect(first.record!.event).toEqual(r.event);
    const second = await store.claim(r.eventId, later(10), later(100));
    expect(second).toMatchObject({ claimed: false, record: { eventId: r.eventId, state: 'queued' } });
    expect((await store.claim(r.eventId, later(91), later(181))).claimed).toBe(true);
    await store.release(r.eventId);
    expect((await store.claim(r.eventId, later(92), later(182))).claimed).toBe(true);
    await store.finish(r.eventId, 'processed', []);
    expect(await store.claim(r.eventId, later(300), later(390))).toMatchObject({ claimed: false, record: { state: 'processed' } });
    expect(await store.claim('missing', t0, later(90))).toEqual({ claimed: false, record: undefined });
  });

  it('refuses to update an event that does not exist', async () => {
    const store = new DynamoEventStore(db, await table('eventId'), 30);
    await expect(store.finish('nope', 'processed', [])).rejects.toThrow();
  });
});
