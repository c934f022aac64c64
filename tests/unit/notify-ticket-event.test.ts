import { beforeEach, describe, expect, it } from 'vitest';
import { acceptTicketEvent } from '../../lib/core/accept-ticket-event.js';
import type { Locale } from '../../lib/core/ids.js';
import { notifyTicketEvent, type NotifyDeps } from '../../lib/core/notify-ticket-event.js';
import type { E164 } from '../../lib/core/phone.js';
import { DingTalkPermanentError, DingTalkTransientError, EventBusyError, type DingTalkLink } from '../../lib/core/ports.js';
import type { TicketEvent } from '../../lib/core/ticket-event.js';
import { assigneesChanged, commentAdded, statusChanged } from '../events.js';
import { FakeDingTalk, FakeEventStore, FakeProjectStore, FakeQueue, FakeUserStore, fixedClock, silentLog } from '../fakes.js';

const NOW = '2026-12-04T10:00:00.000Z';
let deps: NotifyDeps & { users: FakeUserStore; events: FakeEventStore; projects: FakeProjectStore; dingtalk: FakeDingTalk };
let phoneSeq = 0;

beforeEach(() => {
  deps = {
    users: new FakeUserStore(),
    events: new FakeEventStore(),
    projects: new FakeProjectStore(),
    dingtalk: new FakeDingTalk(),
    clock: fixedClock(NOW),
    log: silentLog,
    recheckSeconds: 3600,
    leaseSeconds: 90,
  };
  deps.projects.projects.set('p-1', { projectId: 'p-1', connected: true });
});

/** A user with a phone; `link` says what DingTalk said last time. */
function user(userId: string, link: DingTalkLink | 'on_dingtalk' = { status: 'linked', dingtalkUserId: `dt-${userId}`, checkedAt: NOW }, locale: Locale = 'vi') {
  const national = String(900000000 + ++phoneSeq);
  const phone = `+84${national}` as E164;
  if (link === 'on_dingtalk') {
    deps.dingtalk.directory.set(`+84-${national}`, `dt-${userId}`);
    link = { status: 'unverified' };
  }
  deps.users.users.set(userId, { userId, phone, locale, dingtalk: link, updatedAt: NOW });
}

async function run(event: TicketEvent, finalAttempt = false) {
  await acceptTicketEvent({ events: deps.events, queue: new FakeQueue(), clock: deps.clock }, event);
  await notifyTicketEvent(deps, event.eventId, { finalAttempt });
  return deps.events.records.get(event.eventId)!;
}

const outcomes = (record: { recipients: { userId: string; outcome: string }[] }) =>
  Object.fromEntries(record.recipients.map((r) => [r.userId, r.outcome]));

describe('notifyTicketEvent', () => {
  it('sends one message to everyone who cares, never to the actor, and says why for the others', async () => {
    user('u-1');
    user('u-3');
    user('u-5', { status: 'not_found', checkedAt: NOW });
    user('u-9');
    const record = await run(commentAdded({ actor: { id: 'u-9', name: 'B' }, ticket: { creatorId: 'u-1', assigneeIds: ['u-3'], followerIds: ['u-4', 'u-5', 'u-9'] } }));
    expect(record.state).toBe('processed');
    expect(outcomes(record)).toEqual({ 'u-1': 'sent', 'u-3': 'sent', 'u-4': 'no_phone', 'u-5': 'not_on_dingtalk', 'u-9': 'actor' });
    expect(deps.dingtalk.sends).toHaveLength(1);
    expect(deps.dingtalk.sends[0]!.userIds).toEqual(['dt-u-1', 'dt-u-3']);
  });

  it.each(['creator', 'assignee', 'follower', 'added_assignee', 'removed_assignee'])('never notifies the actor holding the role %s', async (role) => {
    user('u-9');
    user('u-1');
    const ticket = {
      creatorId: role === 'creator' ? 'u-9' : 'u-1',
      assigneeIds: role === 'assignee' ? ['u-9'] : [],
      followerIds: role === 'follower' ? ['u-9'] : [],
    };
    const assignees = {
      added: role === 'added_assignee' ? [{ id: 'u-9', name: 'B' }] : [],
      removed: role === 'removed_assignee' ? [{ id: 'u-9', name: 'B' }] : [],
    };
    const record = await run(assigneesChanged({ ticket, assignees, actor: { id: 'u-9', name: 'B' } }));
    expect(outcomes(record)['u-9']).toBe('actor');
    expect(deps.dingtalk.sends.flatMap((s) => s.userIds)).not.toContain('dt-u-9');
  });

  it('sends nothing when the project is not connected, and says so', async () => {
    user('u-1');
    user('u-9');
    deps.projects.projects.set('p-2', { projectId: 'p-2', connected: false });
    const record = await run(statusChanged({ ticket: { projectId: 'p-2', creatorId: 'u-1', assigneeIds: [], followerIds: ['u-9'] } }));
    expect(outcomes(record)).toEqual({ 'u-1': 'project_not_connected', 'u-9': 'actor' });
    expect(deps.dingtalk.sends).toHaveLength(0);
  });

  it('treats a never-configured project as not connected', async () => {
    user('u-1');
    const record = await run(statusChanged({ ticket: { projectId: 'p-new', creatorId: 'u-1', assigneeIds: [], followerIds: [] } }));
    expect(outcomes(record)).toEqual({ 'u-1': 'project_not_connected' });
  });

  it('groups recipients by locale, one send per locale, each in its language', async () => {
    user('a', undefined, 'vi');
    user('b', undefined, 'en');
    user('c', undefined, 'vi');
    user('d', undefined, 'zh');
    await run(statusChanged({ ticket: { creatorId: 'a', assigneeIds: ['b'], followerIds: ['c', 'd'] } }));
    expect(deps.dingtalk.sends).toHaveLength(3);
    const byTitle = deps.dingtalk.sends.map((s) => [s.userIds.join(','), s.message.msgtype === 'action_card' ? s.message.action_card.single_title : '']);
    expect(byTitle).toEqual([
      ['dt-a,dt-c', 'Mở ticket'],
      ['dt-b', 'Open ticket'],
      ['dt-d', '查看工单'],
    ]);
  });

  it('sends to at most 100 DingTalk users per call', async () => {
    const followerIds = Array.from({ length: 250 }, (_, i) => `f-${i}`);
    for (const id of followerIds) user(id);
    user('u-1');
    const record = await run(statusChanged({ ticket: { creatorId: 'u-1', assigneeIds: [], followerIds } }));
    expect(deps.dingtalk.sends.map((s) => s.userIds.length)).toEqual([100, 100, 51]);
    expect(record.recipients.filter((r) => r.outcome === 'sent')).toHaveLength(251);
    expect(deps.users.getManyCalls).toBe(1);
  });

  it('reuses stored DingTalk ids without asking DingTalk', async () => {
    user('u-1');
    await run(statusChanged({ ticket: { creatorId: 'u-1', assigneeIds: [], followerIds: [] } }));
    expect(deps.dingtalk.lookups).toEqual([]);
  });

  it('asks DingTalk about an unverified phone and remembers the answer', async () => {
    user('u-1', 'on_dingtalk');
    const record = await run(statusChanged({ ticket: { creatorId: 'u-1', assigneeIds: [], followerIds: [] } }));
    expect(outcomes(record)).toEqual({ 'u-1': 'sent' });
    expect(deps.dingtalk.lookups).toHaveLength(1);
    expect(deps.users.users.get('u-1')!.dingtalk).toEqual({ status: 'linked', dingtalkUserId: 'dt-u-1', checkedAt: NOW });
  });

  it('asks again about a phone DingTalk did not know only after the re-check interval', async () => {
    const recent = new Date(Date.parse(NOW) - 3599_000).toISOString();
    const old = new Date(Date.parse(NOW) - 3600_000).toISOString();
    user('recent', { status: 'not_found', checkedAt: recent });
    user('old', { status: 'not_found', checkedAt: old });
    const oldPhone = deps.users.users.get('old')!.phone.replace('+84', '+84-');
    deps.dingtalk.directory.set(oldPhone, 'dt-old');
    const record = await run(statusChanged({ ticket: { creatorId: 'recent', assigneeIds: ['old'], followerIds: [] } }));
    expect(deps.dingtalk.lookups).toEqual([oldPhone]);
    expect(outcomes(record)).toEqual({ recent: 'not_on_dingtalk', old: 'sent' });
  });

  it('marks a group failed when DingTalk refuses it for good, and still sends the others', async () => {
    user('a', undefined, 'vi');
    user('b', undefined, 'en');
    deps.dingtalk.failures.push(new DingTalkPermanentError('errcode 40035'));
    const record = await run(statusChanged({ ticket: { creatorId: 'a', assigneeIds: ['b'], followerIds: [] } }));
    expect(record.state).toBe('processed');
    expect(outcomes(record)).toEqual({ a: 'failed', b: 'sent' });
  });

  it('leaves the event to be retried when DingTalk fails transiently', async () => {
    user('u-1');
    deps.dingtalk.failures.push(new DingTalkTransientError('errcode -1'));
    const event = statusChanged({ ticket: { creatorId: 'u-1', assigneeIds: [], followerIds: [] } });
    await expect(run(event)).rejects.toThrow(DingTalkTransientError);
    expect(deps.events.records.get(event.eventId)!.state).toBe('queued');
    await notifyTicketEvent(deps, event.eventId, { finalAttempt: false });
    expect(outcomes(deps.events.records.get(event.eventId)!)).toEqual({ 'u-1': 'sent' });
    expect(deps.dingtalk.sends).toHaveLength(1);
  });

  it('records the event failed on the last attempt, keeping what was decided', async () => {
    user('u-1');
    user('u-2', undefined, 'en');
    deps.dingtalk.failures.push(new DingTalkTransientError('errcode -1'));
    const event = statusChanged({ ticket: { creatorId: 'u-1', assigneeIds: ['u-3'], followerIds: ['u-2'] } });
    await expect(run(event, true)).rejects.toThrow();
    const record = deps.events.records.get(event.eventId)!;
    expect(record.state).toBe('failed');
    expect(outcomes(record)).toEqual({ 'u-1': 'failed', 'u-3': 'no_phone', 'u-2': 'failed' });
  });

  it('does nothing for an event already processed (SQS redelivery)', async () => {
    user('u-1');
    const event = statusChanged({ ticket: { creatorId: 'u-1', assigneeIds: [], followerIds: [] } });
    await run(event);
    await notifyTicketEvent(deps, event.eventId, { finalAttempt: false });
    expect(deps.dingtalk.sends).toHaveLength(1);
  });

  it('does not send a recorded group again when the worker died before finishing', async () => {
    user('a', undefined, 'vi');
    user('b', undefined, 'en');
    const event = statusChanged({ ticket: { creatorId: 'a', assigneeIds: ['b'], followerIds: [] } });
    deps.events.failNextFinish = true;
    await expect(run(event)).rejects.toThrow('simulated crash');
    expect(deps.dingtalk.sends).toHaveLength(2);
    // The dead worker's lease holds the redelivery back until it runs out.
    await expect(notifyTicketEvent(deps, event.eventId, { finalAttempt: false })).rejects.toThrow(EventBusyError);
    deps.clock = fixedClock(new Date(Date.parse(NOW) + 91_000).toISOString());
    await notifyTicketEvent(deps, event.eventId, { finalAttempt: false });
    // The first group was recorded before the second send; only the last, unrecorded group goes again, with
    // identical content, which DingTalk drops for a person who got it the same day.
    expect(deps.dingtalk.sends.map((s) => s.userIds)).toEqual([['dt-a'], ['dt-b'], ['dt-b']]);
    expect(deps.dingtalk.sends[2]!.message).toEqual(deps.dingtalk.sends[1]!.message);
    expect(outcomes(deps.events.records.get(event.eventId)!)).toEqual({ a: 'sent', b: 'sent' });
  });

  it('lets only one of two workers that got the same event at once send it', async () => {
    user('u-1');
    const event = statusChanged({ ticket: { creatorId: 'u-1', assigneeIds: [], followerIds: [] } });
    await acceptTicketEvent({ events: deps.events, queue: new FakeQueue(), clock: deps.clock }, event);
    // The first worker holds the lease (it is still sending); a second copy of the message arrives meanwhile.
    await deps.events.claim(event.eventId, new Date(NOW), new Date(Date.parse(NOW) + 90_000));
    await expect(notifyTicketEvent(deps, event.eventId, { finalAttempt: false })).rejects.toThrow(EventBusyError);
    expect(deps.dingtalk.sends).toHaveLength(0);
    // The lease of a worker that died runs out; the retry then goes ahead.
    deps.clock = fixedClock(new Date(Date.parse(NOW) + 91_000).toISOString());
    await notifyTicketEvent(deps, event.eventId, { finalAttempt: false });
    expect(deps.dingtalk.sends).toHaveLength(1);
  });

  it('gives the lease back when DingTalk fails, so the retry need not wait for it', async () => {
    user('u-1');
    deps.dingtalk.failures.push(new DingTalkTransientError('busy'));
    const event = statusChanged({ ticket: { creatorId: 'u-1', assigneeIds: [], followerIds: [] } });
    await expect(run(event)).rejects.toThrow(DingTalkTransientError);
    await notifyTicketEvent(deps, event.eventId, { finalAttempt: false });
    expect(deps.dingtalk.sends).toHaveLength(1);
  });

  it('sends one message to one DingTalk user even when two accounts share the phone', async () => {
    user('a');
    user('b', { status: 'linked', dingtalkUserId: 'dt-a', checkedAt: NOW });
    await run(statusChanged({ ticket: { creatorId: 'a', assigneeIds: ['b'], followerIds: [] } }));
    expect(deps.dingtalk.sends[0]!.userIds).toEqual(['dt-a']);
  });
});

describe('acceptTicketEvent', () => {
  it('queues a new event once; a repeated post sends nothing and keeps the first body', async () => {
    const queue = new FakeQueue();
    const first = statusChanged({ status: { from: 'Open', to: 'Done' } });
    await acceptTicketEvent({ events: deps.events, queue, clock: deps.clock }, first);
    await acceptTicketEvent({ events: deps.events, queue, clock: deps.clock }, { ...first, status: { from: 'Open', to: 'Closed' } });
    expect(queue.sent).toEqual([first.eventId]);
    const stored = deps.events.records.get(first.eventId)!.event;
    expect(stored.type === 'status-changed' && stored.status.to).toBe('Done');
  });

  it('queues on the repeat when the first post stored the event but could not queue it', async () => {
    const queue = new FakeQueue();
    const event = statusChanged();
    queue.failNext = true;
    await expect(acceptTicketEvent({ events: deps.events, queue, clock: deps.clock }, event)).rejects.toThrow('SQS unavailable');
    await acceptTicketEvent({ events: deps.events, queue, clock: deps.clock }, event);
    expect(queue.sent).toEqual([event.eventId]);
    expect(deps.events.records.get(event.eventId)!.enqueuedAt).toBe(NOW);
  });
});
