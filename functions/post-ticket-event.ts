import { acceptTicketEvent } from '../lib/core/accept-ticket-event.js';
import type { TicketEvent, TicketEventType } from '../lib/core/ticket-event.js';
import { loadDeps, type Deps } from '../lib/deps.js';
import { httpRoute } from '../lib/http/route.js';
import { ticketEventBodies } from '../lib/http/schemas.js';

const bodies = { https: ticketEventBodies(false), local: ticketEventBodies(true) };

/** `POST /ticket-events/{type}`: validate, store, queue, answer 202. One Lambda per type, one factory. */
export const createPostTicketEventHandler = (type: TicketEventType, getDeps: () => Promise<Deps>) =>
  httpRoute(
    getDeps,
    { signed: true, body: (deps: Deps) => (deps.config.ALLOW_HTTP_TICKET_URLS ? bodies.local : bodies.https)[type] },
    async ({ body }, deps) => {
      await acceptTicketEvent(deps, { type, ...body } as TicketEvent);
      return { status: 202, body: { eventId: body.eventId, accepted: true } };
    },
  );

export const commentAdded = createPostTicketEventHandler('comment-added', loadDeps);
export const assigneesChanged = createPostTicketEventHandler('assignees-changed', loadDeps);
export const statusChanged = createPostTicketEventHandler('status-changed', loadDeps);
