import * as z from 'zod';
import { IdSchema } from './ids.js';

/**
 * The ticket changes the ticket system posts (contract §5). The schemas live in the core because the worker
 * parses the stored event with them too; `createTicketEventSchemas` only varies the URL rule by stage.
 */
const Person = z.strictObject({ id: IdSchema, name: z.string().min(1).max(200) });

export function createTicketEventSchemas(options: { allowHttpUrls: boolean }) {
  const protocol = options.allowHttpUrls ? /^https?$/ : /^https$/;
  const Ticket = z.strictObject({
    id: IdSchema,
    key: z.string().min(1).max(64),
    title: z.string().min(1).max(500),
    url: z.url({ protocol, error: options.allowHttpUrls ? 'must be an http(s) URL' : 'must be an https URL' })
      // DingTalk refuses a card whose button URL is over 500 characters (40035).
      .max(500),
    projectId: IdSchema,
    projectName: z.string().min(1).max(200),
    creatorId: IdSchema,
    assigneeIds: z.array(IdSchema).max(100),
    followerIds: z.array(IdSchema).max(1000),
  });
  const common = {
    eventId: IdSchema,
    occurredAt: z.iso.datetime({ offset: true }),
    actor: Person,
    ticket: Ticket,
  };
  const CommentAdded = z.strictObject({
    ...common,
    comment: z.strictObject({
      id: IdSchema,
      body: z.string().max(10000),
      mentionedIds: z.array(IdSchema).max(1000).optional(),
    }),
  });
  const AssigneesChanged = z.strictObject({
    ...common,
    assignees: z.strictObject({ added: z.array(Person).max(100), removed: z.array(Person).max(100) }),
  });
  const StatusChanged = z.strictObject({
    ...common,
    status: z.strictObject({ from: z.string().min(1).max(100), to: z.string().min(1).max(100) }),
  });
  return { CommentAdded, AssigneesChanged, StatusChanged };
}

type Schemas = ReturnType<typeof createTicketEventSchemas>;
export type CommentAddedBody = z.infer<Schemas['CommentAdded']>;
export type AssigneesChangedBody = z.infer<Schemas['AssigneesChanged']>;
export type StatusChangedBody = z.infer<Schemas['StatusChanged']>;

export const TICKET_EVENT_TYPES = ['comment-added', 'assignees-changed', 'status-changed'] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

/** A ticket change as the core handles it: the posted body tagged with its type. */
export type TicketEvent =
  | ({ type: 'comment-added' } & CommentAddedBody)
  | ({ type: 'assignees-changed' } & AssigneesChangedBody)
  | ({ type: 'status-changed' } & StatusChangedBody);

/** Parses an event read back from storage (any URL scheme: it was checked when it was posted). */
export function parseStoredTicketEvent(type: string, body: unknown): TicketEvent {
  const schemas = createTicketEventSchemas({ allowHttpUrls: true });
  switch (type) {
    case 'comment-added':
      return { type, ...schemas.CommentAdded.parse(body) };
    case 'assignees-changed':
      return { type, ...schemas.AssigneesChanged.parse(body) };
    case 'status-changed':
      return { type, ...schemas.StatusChanged.parse(body) };
    default:
      throw new Error(`unknown ticket event type ${type}`);
  }
}
