/** Factories of ticket events for tests: a valid event, with any part overridden. */
import type { TicketEvent } from '../lib/core/ticket-event.js';

let counter = 0;

export function baseEvent(overrides: Partial<Record<string, unknown>> = {}) {
  const ticket = {
    id: 't-42',
    key: 'ALPHA-42',
    title: 'Login page is blank on Safari',
    url: 'https://tickets.example.com/alpha/42',
    projectId: 'p-1',
    projectName: 'Alpha',
    creatorId: 'u-1',
    assigneeIds: ['u-3'],
    followerIds: ['u-4', 'u-5'],
    ...((overrides.ticket as object | undefined) ?? {}),
  };
  return {
    eventId: `evt-${Date.now()}-${++counter}`,
    occurredAt: '2026-12-04T09:59:58Z',
    actor: { id: 'u-9', name: 'Trần Thị B' },
    ...overrides,
    ticket,
  };
}

export function commentAdded(overrides: Partial<Record<string, unknown>> = {}): Extract<TicketEvent, { type: 'comment-added' }> {
  return { type: 'comment-added', comment: { id: 'c-7', body: 'Đã xác nhận lỗi trên Safari 17.' }, ...baseEvent(overrides), ...pick(overrides, 'comment') } as never;
}

export function assigneesChanged(overrides: Partial<Record<string, unknown>> = {}): Extract<TicketEvent, { type: 'assignees-changed' }> {
  return {
    type: 'assignees-changed',
    assignees: { added: [{ id: 'u-3', name: 'Lê Văn C' }], removed: [{ id: 'u-2', name: 'Phạm D' }] },
    ...baseEvent(overrides),
    ...pick(overrides, 'assignees'),
  } as never;
}

export function statusChanged(overrides: Partial<Record<string, unknown>> = {}): Extract<TicketEvent, { type: 'status-changed' }> {
  return { type: 'status-changed', status: { from: 'Open', to: 'In progress' }, ...baseEvent(overrides), ...pick(overrides, 'status') } as never;
}

/** The body the ticket system posts: the event without its type. */
export function body(event: TicketEvent): Record<string, unknown> {
  const { type: _type, ...rest } = event;
  return rest;
}

function pick(overrides: Partial<Record<string, unknown>>, key: string) {
  return key in overrides ? { [key]: overrides[key] } : {};
}
