import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createNotifyWorkerHandler } from '../../functions/notify-worker.js';
import { acceptTicketEvent } from '../../lib/core/accept-ticket-event.js';
import type { E164 } from '../../lib/core/phone.js';
import { DingTalkTransientError } from '../../lib/core/ports.js';
import { statusChanged } from '../events.js';
import { fakeDeps } from '../fake-deps.js';
import { lambdaContext } from '../http-events.js';

const sqsEvent = (records: { id: string; body: string; receiveCount?: number }[]): SQSEvent => ({
  Records: records.map((r) => ({
    messageId: r.id,
    receiptHandle: `rh-${r.id}`,
    body: r.body,
    attributes: { ApproximateReceiveCount: String(r.receiveCount ?? 1) } as never,
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-southeast-1:123456789012:q',
    awsRegion: 'ap-southeast-1',
  })),
});

async function setup() {
  const deps = fakeDeps({ RETRY_BASE_SECONDS: '30', MAX_RECEIVE_COUNT: '12' });
  deps.projects.projects.set('p-1', { projectId: 'p-1', connected: true });
  deps.users.users.set('u-1', {
    userId: 'u-1',
    phone: '+84912345678' as E164,
    locale: 'vi',
    dingtalk: { status: 'linked', dingtalkUserId: 'dt-1', checkedAt: '2026-12-04T10:00:00.000Z' },
    updatedAt: '2026-12-04T10:00:00.000Z',
  });
  const event = statusChanged({ ticket: { creatorId: 'u-1', assigneeIds: [], followerIds: [] } });
  await acceptTicketEvent(deps, event);
  return { deps, event, handler: createNotifyWorkerHandler(async () => deps) };
}

describe('the notify worker', () => {
  it('fails only the records that failed', async () => {
    const { deps, event, handler } = await setup();
    const result = await handler(
      sqsEvent([
        { id: 'good', body: JSON.stringify({ eventId: event.eventId }) },
        { id: 'poison', body: 'not json' },
        { id: 'unknown', body: JSON.stringify({ eventId: 'evt-missing' }) },
      ]),
      lambdaContext,
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }, { itemIdentifier: 'unknown' }] });
    expect(deps.dingtalk.sends).toHaveLength(1);
  });

  it.each([
    [1, 30],
    [2, 60],
    [5, 480],
    [6, 900],
    [11, 900],
  ])('delays the retry of a failed record after receive %i by %i s', async (receiveCount, seconds) => {
    const { deps, event, handler } = await setup();
    deps.dingtalk.failures.push(new DingTalkTransientError('busy'));
    const result = await handler(sqsEvent([{ id: 'm', body: JSON.stringify({ eventId: event.eventId }), receiveCount }]), lambdaContext);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm' }]);
    expect(deps.queue.delays).toEqual([{ receiptHandle: 'rh-m', seconds }]);
    expect(deps.events.records.get(event.eventId)!.state).toBe('queued');
  });

  it('records the event failed on the last receive, before SQS moves it to the DLQ', async () => {
    const { deps, event, handler } = await setup();
    deps.dingtalk.failures.push(new DingTalkTransientError('busy'));
    await handler(sqsEvent([{ id: 'm', body: JSON.stringify({ eventId: event.eventId }), receiveCount: 12 }]), lambdaContext);
    const record = deps.events.records.get(event.eventId)!;
    expect(record.state).toBe('failed');
    expect(record.recipients).toEqual([{ userId: 'u-1', roles: ['creator'], outcome: 'failed' }]);
  });
});
