import { lookUpLink, needsLookUp } from './dingtalk-link.js';
import type { Locale } from './ids.js';
import { buildTicketMessage } from './message.js';
import {
  DingTalkPermanentError,
  EventBusyError,
  type Clock,
  type DingTalk,
  type EventStore,
  type Log,
  type ProjectStore,
  type UserSettings,
  type UserStore,
} from './ports.js';
import { collectCandidates, isActor, type Candidate, type RecipientOutcome } from './recipients.js';
import type { TicketEvent } from './ticket-event.js';

export interface NotifyDeps {
  events: EventStore;
  projects: ProjectStore;
  users: UserStore;
  dingtalk: DingTalk;
  clock: Clock;
  log: Log;
  /** How long a phone DingTalk did not know is trusted before DingTalk is asked again (contract §5, rule 7). */
  recheckSeconds: number;
  /** How long a worker holds an event; longer than the worker's own timeout, so a dead worker's lease runs out. */
  leaseSeconds: number;
}

/** DingTalk takes at most 100 user ids per `asyncsend_v2` call. */
export const MAX_RECIPIENTS_PER_SEND = 100;

/**
 * The worker's use case: decide who gets this ticket change and send one DingTalk work notification per
 * locale group of at most 100 people.
 *
 * Nothing is sent twice when SQS redelivers: an event already `processed` is skipped, a copy delivered while
 * another worker holds the event's lease waits (`EventBusyError`, retried later), and the people of every
 * send that DingTalk accepted are recorded (`sentTo`) before the next send. The remaining window is a worker
 * that dies after DingTalk accepted a send and before it was recorded: the redelivery sends that group again
 * with byte-identical content (the message depends only on the event), which DingTalk silently drops when the
 * person got it earlier the same day. Only a redelivery that crosses DingTalk's midnight can show twice.
 *
 * Throws when the event must be tried again later (DingTalk or AWS unavailable); `finalAttempt` records the
 * event as `failed` first, with every undecided person `failed`.
 */
export async function notifyTicketEvent(deps: NotifyDeps, eventId: string, options: { finalAttempt: boolean }): Promise<void> {
  const now = deps.clock();
  const { claimed, record } = await deps.events.claim(eventId, now, new Date(now.getTime() + deps.leaseSeconds * 1000));
  if (!record) throw new Error('event record not found');
  if (record.state === 'processed') return;
  if (!claimed) throw new EventBusyError('another worker holds this event');

  const outcomes = new Map<string, RecipientOutcome>();
  const candidates = collectCandidates(record.event);
  try {
    await decide(deps, record.event, new Set(record.sentTo), candidates, outcomes);
  } catch (error) {
    if (options.finalAttempt) await deps.events.finish(eventId, 'failed', ordered(candidates, outcomes));
    else await deps.events.release(eventId).catch(() => {}); // best effort: the lease runs out anyway
    throw error;
  }
  await deps.events.finish(eventId, 'processed', ordered(candidates, outcomes));
}

async function decide(
  deps: NotifyDeps,
  event: TicketEvent,
  alreadySent: ReadonlySet<string>,
  candidates: Candidate[],
  outcomes: Map<string, RecipientOutcome>,
): Promise<void> {
  const settle = (candidate: Candidate, outcome: RecipientOutcome['outcome']) => outcomes.set(candidate.userId, { ...candidate, outcome });
  const others = candidates.filter((c) => !isActor(event, c.userId));
  for (const c of candidates) if (isActor(event, c.userId)) settle(c, 'actor');

  const project = await deps.projects.get(event.ticket.projectId);
  if (!project?.connected) {
    for (const c of others) settle(c, 'project_not_connected');
    return;
  }

  const users = await deps.users.getMany(others.map((c) => c.userId));
  const groups = new Map<Locale, { dingtalkUserId: string; candidate: Candidate }[]>();
  for (const c of others) {
    const user = users.get(c.userId);
    if (!user) {
      settle(c, 'no_phone');
      continue;
    }
    if (alreadySent.has(c.userId)) {
      settle(c, 'sent');
      continue;
    }
    let dingtalkUserId: string | undefined;
    try {
      dingtalkUserId = await resolveDingTalkUserId(deps, user);
    } catch (error) {
      if (!(error instanceof DingTalkPermanentError)) throw error;
      deps.log.error('DingTalk refused to look up a phone; the person is marked failed', { eventId: event.eventId, error: error.message });
      settle(c, 'failed');
      continue;
    }
    if (!dingtalkUserId) {
      settle(c, 'not_on_dingtalk');
      continue;
    }
    const group = groups.get(user.locale) ?? [];
    group.push({ dingtalkUserId, candidate: c });
    groups.set(user.locale, group);
  }

  const sends = [...groups].flatMap(([locale, members]) => chunk(members, MAX_RECIPIENTS_PER_SEND).map((part) => ({ locale, part })));
  for (const [index, { locale, part }] of sends.entries()) {
    try {
      const dingtalkIds = [...new Set(part.map((m) => m.dingtalkUserId))];
      await deps.dingtalk.sendWorkNotification(dingtalkIds, buildTicketMessage(event, locale));
    } catch (error) {
      if (!(error instanceof DingTalkPermanentError)) throw error;
      deps.log.error('DingTalk refused a work notification; its recipients are marked failed', {
        eventId: event.eventId,
        locale,
        recipients: part.length,
        error: error.message,
      });
      for (const m of part) settle(m.candidate, 'failed');
      continue;
    }
    for (const m of part) settle(m.candidate, 'sent');
    // The last send is recorded by `finish`, saving one write per event in the common single-send case.
    if (index < sends.length - 1) await deps.events.recordSent(event.eventId, part.map((m) => m.candidate.userId));
  }
}

/** The user's DingTalk id, asking DingTalk (and saving its answer) only when rule 7 says so. */
async function resolveDingTalkUserId(deps: NotifyDeps, user: UserSettings): Promise<string | undefined> {
  let link = user.dingtalk;
  const now = deps.clock();
  if (needsLookUp(link, now, deps.recheckSeconds)) {
    link = await lookUpLink(deps.dingtalk, user.phone, now);
    await deps.users.saveLink(user.userId, user.phone, link);
  }
  return link.status === 'linked' ? link.dingtalkUserId : undefined;
}

/** Outcomes in candidate order; anyone not decided when the event gave up is `failed`. */
function ordered(candidates: Candidate[], outcomes: Map<string, RecipientOutcome>): RecipientOutcome[] {
  return candidates.map((c) => outcomes.get(c.userId) ?? { ...c, outcome: 'failed' });
}

function chunk<T>(items: T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}
