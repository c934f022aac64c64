import type { TicketEvent } from './ticket-event.js';

export type Role = 'creator' | 'assignee' | 'follower' | 'added_assignee' | 'removed_assignee' | 'mentioned';

export type Outcome = 'actor' | 'project_not_connected' | 'no_phone' | 'not_on_dingtalk' | 'sent' | 'failed';

export interface Candidate {
  userId: string;
  roles: Role[];
}

export interface RecipientOutcome extends Candidate {
  outcome: Outcome;
}

/**
 * Who cares about this change (contract §5, rule 1), each person once with every role they hold (rule 3),
 * in a stable order: creator, assignees, followers, then the event-specific roles.
 * The actor is included; `isActor` tells the caller to record them as `actor` rather than notify them.
 */
export function collectCandidates(event: TicketEvent): Candidate[] {
  const byUser = new Map<string, Role[]>();
  const add = (userId: string, role: Role) => {
    const roles = byUser.get(userId);
    if (!roles) byUser.set(userId, [role]);
    else if (!roles.includes(role)) roles.push(role);
  };
  add(event.ticket.creatorId, 'creator');
  for (const id of event.ticket.assigneeIds) add(id, 'assignee');
  for (const id of event.ticket.followerIds) add(id, 'follower');
  if (event.type === 'assignees-changed') {
    for (const person of event.assignees.added) add(person.id, 'added_assignee');
    for (const person of event.assignees.removed) add(person.id, 'removed_assignee');
  }
  if (event.type === 'comment-added') {
    for (const id of event.comment.mentionedIds ?? []) add(id, 'mentioned');
  }
  return [...byUser].map(([userId, roles]) => ({ userId, roles }));
}

/** Rule 2: the person who made the change is never notified of it, whatever roles they hold. */
export function isActor(event: TicketEvent, userId: string): boolean {
  return event.actor.id === userId;
}
