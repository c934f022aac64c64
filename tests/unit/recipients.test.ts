import { describe, expect, it } from 'vitest';
import { collectCandidates, isActor } from '../../lib/core/recipients.js';
import { assigneesChanged, commentAdded, statusChanged } from '../events.js';

describe('collectCandidates', () => {
  it.each([
    {
      name: 'creator, assignee and followers each once, in order',
      event: statusChanged({ ticket: { creatorId: 'a', assigneeIds: ['b'], followerIds: ['c', 'd'] } }),
      expected: [
        { userId: 'a', roles: ['creator'] },
        { userId: 'b', roles: ['assignee'] },
        { userId: 'c', roles: ['follower'] },
        { userId: 'd', roles: ['follower'] },
      ],
    },
    {
      name: 'one person holding every role appears once with all of them',
      event: commentAdded({
        ticket: { creatorId: 'a', assigneeIds: ['a'], followerIds: ['a'] },
        comment: { id: 'c', body: 'x', mentionedIds: ['a'] },
      }),
      expected: [{ userId: 'a', roles: ['creator', 'assignee', 'follower', 'mentioned'] }],
    },
    {
      name: 'duplicates inside one list collapse',
      event: statusChanged({ ticket: { creatorId: 'a', assigneeIds: ['b', 'b'], followerIds: ['c', 'c', 'b'] } }),
      expected: [
        { userId: 'a', roles: ['creator'] },
        { userId: 'b', roles: ['assignee', 'follower'] },
        { userId: 'c', roles: ['follower'] },
      ],
    },
    {
      name: 'empty assignee and follower lists leave the creator',
      event: statusChanged({ ticket: { creatorId: 'a', assigneeIds: [], followerIds: [] } }),
      expected: [{ userId: 'a', roles: ['creator'] }],
    },
    {
      name: 'assignees-changed adds the added and removed handlers',
      event: assigneesChanged({
        ticket: { creatorId: 'a', assigneeIds: ['b', 'n'], followerIds: [] },
        assignees: { added: [{ id: 'n', name: 'N' }], removed: [{ id: 'r', name: 'R' }] },
      }),
      expected: [
        { userId: 'a', roles: ['creator'] },
        { userId: 'b', roles: ['assignee'] },
        { userId: 'n', roles: ['assignee', 'added_assignee'] },
        { userId: 'r', roles: ['removed_assignee'] },
      ],
    },
    {
      name: 'comment-added adds mentioned users',
      event: commentAdded({ ticket: { creatorId: 'a', assigneeIds: [], followerIds: [] }, comment: { id: 'c', body: 'x', mentionedIds: ['m'] } }),
      expected: [
        { userId: 'a', roles: ['creator'] },
        { userId: 'm', roles: ['mentioned'] },
      ],
    },
    {
      name: 'mentions count only for comments, handler changes only for assignees-changed',
      event: statusChanged({ ticket: { creatorId: 'a', assigneeIds: [], followerIds: [] }, comment: { id: 'c', body: 'x', mentionedIds: ['m'] } }),
      expected: [{ userId: 'a', roles: ['creator'] }],
    },
  ])('$name', ({ event, expected }) => {
    expect(collectCandidates(event)).toEqual(expected);
  });

  it('handles 1000 followers, each once', () => {
    const followerIds = Array.from({ length: 1000 }, (_, i) => `f-${i}`);
    const candidates = collectCandidates(statusChanged({ ticket: { creatorId: 'a', assigneeIds: ['f-1'], followerIds } }));
    expect(candidates).toHaveLength(1001);
    expect(new Set(candidates.map((c) => c.userId)).size).toBe(1001);
    expect(candidates.find((c) => c.userId === 'f-1')?.roles).toEqual(['assignee', 'follower']);
  });
});

describe('isActor', () => {
  it.each(['creator', 'assignee', 'follower'])('recognises the actor as %s', (role) => {
    const ticket = { creatorId: role === 'creator' ? 'u-9' : 'a', assigneeIds: role === 'assignee' ? ['u-9'] : [], followerIds: role === 'follower' ? ['u-9'] : [] };
    const event = statusChanged({ ticket, actor: { id: 'u-9', name: 'B' } });
    const actor = collectCandidates(event).find((c) => isActor(event, c.userId));
    expect(actor?.userId).toBe('u-9');
    expect(actor?.roles).toEqual([role]);
  });
});
