import { NotFoundError } from '../lib/core/errors.js';
import { loadDeps, type Deps } from '../lib/deps.js';
import { httpRoute } from '../lib/http/route.js';
import { EventIdParams } from '../lib/http/schemas.js';
import { eventReportView } from '../lib/http/views.js';

/** Why each person was or was not notified of an event (kept 30 days). */
export const createGetTicketEventHandler = (getDeps: () => Promise<Deps>) =>
  httpRoute(getDeps, { signed: true, params: EventIdParams }, async ({ params }, deps) => {
    const record = await deps.events.get(params.eventId);
    if (!record) throw new NotFoundError('no such event');
    return { status: 200, body: eventReportView(record) };
  });

export const handler = createGetTicketEventHandler(loadDeps);
