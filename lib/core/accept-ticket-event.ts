import type { Clock, EventQueue, EventRecord, EventStore } from './ports.js';
import type { TicketEvent } from './ticket-event.js';

export interface AcceptTicketEventDeps {
  events: EventStore;
  queue: EventQueue;
  clock: Clock;
}

/**
 * Stores the change, then queues its id. The first post of an event id wins: a repeat sends nothing, unless
 * the first post stored the event but failed before it was queued, in which case the repeat queues it.
 * The worker reads the stored event, so the queue message stays small and the first body is the one sent.
 */
export async function acceptTicketEvent(deps: AcceptTicketEventDeps, event: TicketEvent): Promise<void> {
  const record: EventRecord = {
    eventId: event.eventId,
    type: event.type,
    ticketId: event.ticket.id,
    projectId: event.ticket.projectId,
    state: 'queued',
    event,
    receivedAt: deps.clock().toISOString(),
    sentTo: [],
    recipients: [],
  };
  const result = await deps.events.create(record);
  if (!result.created && result.existing.enqueuedAt) return;
  await deps.queue.enqueue(event.eventId);
  await deps.events.markEnqueued(event.eventId, deps.clock().toISOString());
}
