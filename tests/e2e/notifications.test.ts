import { SendMessageCommand, SQSClient, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Locale } from '../../lib/core/ids.js';
import { assigneesChanged, body, commentAdded, statusChanged } from '../events.js';
import { api, dingtalkUrl, messagesFor, newPhone, registerOnDingTalk, report, unique, waitFor } from './helpers.js';

/**
 * Seed step 3, played through `serverless offline`, SQS, the worker and the local DingTalk server: people set
 * their phones, one project is connected and another is not, and each kind of ticket change is posted.
 */
const people = {} as Record<'creator' | 'handler' | 'follower' | 'actor' | 'noPhone' | 'notOnDingTalk' | 'mentioned' | 'added' | 'removed', { userId: string; dingtalk: string }>;
let connected: string;
let unconnected: string;

async function person(locale: Locale, onDingTalk = true) {
  const userId = unique('u');
  const phone = newPhone();
  const dingtalk = unique('dt');
  if (onDingTalk) await registerOnDingTalk(phone.dingtalk, dingtalk);
  const put = await api('PUT', `/users/${userId}/dingtalk`, { phone: phone.typed, locale });
  expect(put.body.dingtalk.status).toBe(onDingTalk ? 'linked' : 'not_found');
  return { userId, dingtalk, phone };
}

function ticket(projectId: string) {
  return {
    id: unique('t'),
    key: 'ALPHA-42',
    title: 'Trang đăng nhập trống trên Safari',
    url: 'https://tickets.example.com/alpha/42',
    projectId,
    projectName: 'Alpha',
    creatorId: people.creator.userId,
    assigneeIds: [people.handler.userId],
    followerIds: [people.follower.userId, people.actor.userId, people.noPhone.userId, people.notOnDingTalk.userId],
  };
}

const visible = async (who: { dingtalk: string }) => (await messagesFor(who.dingtalk)).filter((m) => m.dropped === null);
const actor = () => ({ id: people.actor.userId, name: 'Trần Thị B' });

beforeAll(async () => {
  people.creator = await person('vi');
  people.handler = await person('en');
  people.follower = await person('zh');
  people.actor = await person('vi');
  people.notOnDingTalk = await person('vi', false);
  people.mentioned = await person('vi');
  people.added = await person('vi');
  people.removed = await person('en');
  people.noPhone = { userId: unique('u'), dingtalk: unique('dt') };
  connected = unique('p');
  unconnected = unique('p');
  await api('PUT', `/projects/${connected}/dingtalk`, { connected: true, actorId: 'owner-1' });
  await api('PUT', `/projects/${unconnected}/dingtalk`, { connected: false, actorId: 'owner-1' });
});

describe('seed step 3: who receives what', () => {
  it('a new comment reaches creator, handler, followers and mentioned users, never the actor; the report says why not', async () => {
    const event = commentAdded({
      eventId: unique('evt'),
      actor: actor(),
      ticket: ticket(connected),
      comment: { id: 'c-1', body: 'Đã tái hiện lỗi trên Safari 17.', mentionedIds: [people.mentioned.userId, people.creator.userId] },
    });
    expect((await api('POST', '/ticket-events/comment-added', body(event))).status).toBe(202);
    const result = await report(event.eventId);

    expect(result.state).toBe('processed');
    expect(Object.fromEntries(result.recipients.map((r) => [r.userId, [r.roles, r.outcome]]))).toEqual({
      [people.creator.userId]: [['creator', 'mentioned'], 'sent'],
      [people.handler.userId]: [['assignee'], 'sent'],
      [people.follower.userId]: [['follower'], 'sent'],
      [people.actor.userId]: [['follower'], 'actor'],
      [people.noPhone.userId]: [['follower'], 'no_phone'],
      [people.notOnDingTalk.userId]: [['follower'], 'not_on_dingtalk'],
      [people.mentioned.userId]: [['mentioned'], 'sent'],
    });

    const creator = await visible(people.creator);
    expect(creator).toHaveLength(1);
    expect(creator[0]!.msg.action_card!.markdown).toContain('Đã tái hiện lỗi trên Safari 17.');
    expect(creator[0]!.msg.action_card!.markdown).toContain('đã bình luận');
    expect(creator[0]!.msg.action_card!.single_url).toContain(encodeURIComponent('https://tickets.example.com/alpha/42'));
    expect((await visible(people.handler))[0]!.msg.action_card!.markdown).toContain('commented');
    expect((await visible(people.follower))[0]!.msg.action_card!.markdown).toContain('发表了评论');
    expect(await visible(people.actor)).toHaveLength(0);
    expect(await messagesFor(people.notOnDingTalk.dingtalk)).toHaveLength(0);

    // One asyncsend_v2 call per locale group: the two vi recipients share a task.
    const viTasks = new Set([...(await visible(people.creator)), ...(await visible(people.mentioned))].map((m) => m.taskId));
    expect(viTasks.size).toBe(1);
  });

  it('a handler change reaches the added and removed handlers by name', async () => {
    const event = assigneesChanged({
      eventId: unique('evt'),
      actor: actor(),
      ticket: { ...ticket(connected), assigneeIds: [people.handler.userId, people.added.userId] },
      assignees: { added: [{ id: people.added.userId, name: 'Lê Văn C' }], removed: [{ id: people.removed.userId, name: 'Phạm D' }] },
    });
    await api('POST', '/ticket-events/assignees-changed', body(event));
    const result = await report(event.eventId);
    const outcome = (id: string) => result.recipients.find((r) => r.userId === id);
    expect(outcome(people.added.userId)).toEqual({ userId: people.added.userId, roles: ['assignee', 'added_assignee'], outcome: 'sent' });
    expect(outcome(people.removed.userId)).toEqual({ userId: people.removed.userId, roles: ['removed_assignee'], outcome: 'sent' });
    const removed = await visible(people.removed);
    expect(removed.at(-1)!.msg.action_card!.markdown).toContain('Added: Lê Văn C');
    expect(removed.at(-1)!.msg.action_card!.markdown).toContain('Removed: Phạm D');
  });

  it('two identical-looking status changes the same day both arrive', async () => {
    const before = (await visible(people.creator)).length;
    for (const occurredAt of ['2026-12-04T08:00:00Z', '2026-12-04T08:00:01Z']) {
      const event = statusChanged({ eventId: unique('evt'), occurredAt, actor: actor(), ticket: ticket(connected), status: { from: 'Open', to: 'Done' } });
      await api('POST', '/ticket-events/status-changed', body(event));
      expect((await report(event.eventId)).state).toBe('processed');
    }
    const after = await visible(people.creator);
    expect(after.length - before).toBe(2);
    expect(after.at(-1)!.msg.action_card!.markdown).toContain('Open → Done');
  });

  it('nobody is notified on a project that is not connected', async () => {
    const before = (await messagesFor(people.creator.dingtalk)).length;
    const event = statusChanged({ eventId: unique('evt'), actor: actor(), ticket: ticket(unconnected) });
    await api('POST', '/ticket-events/status-changed', body(event));
    const result = await report(event.eventId);
    expect(new Set(result.recipients.filter((r) => r.userId !== people.actor.userId).map((r) => r.outcome))).toEqual(new Set(['project_not_connected']));
    expect(result.recipients.find((r) => r.userId === people.actor.userId)!.outcome).toBe('actor');
    expect((await messagesFor(people.creator.dingtalk)).length).toBe(before);
  });

  it('the same event posted twice, and redelivered by SQS, reaches each person once', async () => {
    const event = statusChanged({ eventId: unique('evt'), actor: actor(), ticket: ticket(connected), status: { from: 'Done', to: 'Reopened' } });
    await api('POST', '/ticket-events/status-changed', body(event));
    await api('POST', '/ticket-events/status-changed', body(event));
    await report(event.eventId);
    const sqs = new SQSClient({ region: 'ap-southeast-1', endpoint: inject('sqsEndpoint'), credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    await sqs.send(new SendMessageCommand({ QueueUrl: inject('queueUrl'), MessageBody: JSON.stringify({ eventId: event.eventId }) }));
    await new Promise((r) => setTimeout(r, 3000));
    const got = (await messagesFor(people.handler.dingtalk)).filter((m) => m.msg.action_card?.markdown.includes('Reopened'));
    expect(got).toHaveLength(1);
    sqs.destroy();
  });

  it('a person who registers on DingTalk later starts receiving after the re-check interval', async () => {
    const late = await person('vi', false);
    const event1 = statusChanged({ eventId: unique('evt'), actor: actor(), ticket: { ...ticket(connected), followerIds: [late.userId] } });
    await api('POST', '/ticket-events/status-changed', body(event1));
    expect((await report(event1.eventId)).recipients.find((r) => r.userId === late.userId)!.outcome).toBe('not_on_dingtalk');
    await registerOnDingTalk(late.phone.dingtalk, late.dingtalk);
    await new Promise((r) => setTimeout(r, 2100)); // the test stack re-checks after 2 s
    const event2 = statusChanged({ eventId: unique('evt'), actor: actor(), ticket: { ...ticket(connected), followerIds: [late.userId] } });
    await api('POST', '/ticket-events/status-changed', body(event2));
    expect((await report(event2.eventId)).recipients.find((r) => r.userId === late.userId)!.outcome).toBe('sent');
    expect(await visible(late)).toHaveLength(1);
  });
});

describe('nothing lost when DingTalk or the message fails', () => {
  it('an event survives DingTalk failing several times in a row', async () => {
    const solo = await person('vi');
    const event = statusChanged({ eventId: unique('evt'), actor: actor(), ticket: { ...ticket(connected), creatorId: solo.userId, assigneeIds: [], followerIds: [] } });
    const fault = { path: '/topapi/message/corpconversation/asyncsend_v2', kind: 'errcode', errcode: -1, count: 5 };
    await fetch(`${dingtalkUrl()}/_local/faults`, { method: 'POST', body: JSON.stringify(fault) });
    await api('POST', '/ticket-events/status-changed', body(event));
    const result = await report(event.eventId);
    expect(result.recipients).toEqual([{ userId: solo.userId, roles: ['creator'], outcome: 'sent' }]);
    expect(await visible(solo)).toHaveLength(1);
  });

  it('an event DingTalk keeps refusing is recorded failed on its last receive and waits in the dead-letter queue', async () => {
    const unlucky = await person('vi');
    const fault = { path: '/topapi/message/corpconversation/asyncsend_v2', kind: 'errcode', errcode: -1, count: 1000, match: unlucky.dingtalk };
    await fetch(`${dingtalkUrl()}/_local/faults`, { method: 'POST', body: JSON.stringify(fault) });
    const event = statusChanged({ eventId: unique('evt'), actor: actor(), ticket: { ...ticket(connected), creatorId: unlucky.userId, assigneeIds: [], followerIds: [] } });
    await api('POST', '/ticket-events/status-changed', body(event));
    const result = await waitFor(
      () => api('GET', `/ticket-events/${event.eventId}`),
      (r) => r.body.state !== 'queued',
      50_000,
    );
    // The worker knew the 12th receive was the last (ApproximateReceiveCount reached it through the poller).
    expect(result.body).toMatchObject({ state: 'failed', recipients: [{ userId: unlucky.userId, roles: ['creator'], outcome: 'failed' }] });
    const sqs = new SQSClient({ region: 'ap-southeast-1', endpoint: inject('sqsEndpoint'), credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    const inDlq = await waitFor(
      async () => {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: inject('deadLetterQueueUrl'), MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 0 }));
        return (Messages ?? []).some((m) => m.Body === JSON.stringify({ eventId: event.eventId }));
      },
      (yes) => yes,
      20_000,
    );
    expect(inDlq).toBe(true);
    sqs.destroy();
  });

  it('a poison message reaches the dead-letter queue after the configured receives', async () => {
    const sqs = new SQSClient({ region: 'ap-southeast-1', endpoint: inject('sqsEndpoint'), credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    const marker = unique('poison');
    await sqs.send(new SendMessageCommand({ QueueUrl: inject('queueUrl'), MessageBody: marker }));
    const found = await waitFor(
      async () => {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: inject('deadLetterQueueUrl'), MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 0 }));
        return (Messages ?? []).some((m) => m.Body === marker);
      },
      (yes) => yes,
      50_000,
    );
    expect(found).toBe(true);
    sqs.destroy();
  });
});
