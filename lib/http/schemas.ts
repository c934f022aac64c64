import * as z from 'zod';
import { IdSchema, LocaleSchema } from '../core/ids.js';
import { createTicketEventSchemas } from '../core/ticket-event.js';

/** The contract's request and response shapes: handlers validate with these and `/openapi.json` is built from them. */

const Id = IdSchema.meta({ id: 'Id', example: 'u-1' });
const Timestamp = z.iso.datetime().meta({ example: '2026-12-04T10:00:00Z' });

export const UserIdParams = z.strictObject({ userId: Id });
export const ProjectIdParams = z.strictObject({ projectId: Id });
export const EventIdParams = z.strictObject({ eventId: Id });

export const PutUserBody = z
  .strictObject({
    phone: z.string().min(1).max(64).meta({ description: 'Any common format; without a country code it is read in the default region', example: '0912 345 678' }),
    locale: LocaleSchema.optional().meta({ description: 'Language of this user\'s notifications (default: the deployment\'s, `vi`)' }),
  })
  .meta({ id: 'PutUserDingTalkRequest' });

export const UserSettingsResponse = z
  .object({
    userId: Id,
    phone: z.string().meta({ example: '+84912345678' }),
    locale: LocaleSchema,
    dingtalk: z.object({
      status: z.enum(['linked', 'not_found', 'unverified']),
      checkedAt: Timestamp.optional(),
    }),
    updatedAt: Timestamp,
  })
  .meta({ id: 'UserDingTalkSettings' });

export const TestSentResponse = z.object({ sent: z.literal(true) }).meta({ id: 'TestSent' });

export const PutProjectBody = z.strictObject({ connected: z.boolean(), actorId: Id }).meta({ id: 'PutProjectDingTalkRequest' });

export const ProjectConnectionResponse = z
  .object({ projectId: Id, connected: z.boolean(), updatedBy: Id.optional(), updatedAt: Timestamp.optional() })
  .meta({ id: 'ProjectDingTalkConnection' });

export const ConnectAllBody = z
  .strictObject({
    projectIds: z
      .array(Id)
      .min(1)
      .max(1000)
      .refine((ids) => new Set(ids).size === ids.length, 'project ids must be distinct'),
    actorId: Id,
    connected: z.boolean().default(true),
  })
  .meta({ id: 'ConnectAllRequest' });

export const ConnectAllResponse = z
  .object({ updated: z.number().int(), projects: z.array(ProjectConnectionResponse) })
  .meta({ id: 'ConnectAllResult' });

export const ProjectsQuery = z.strictObject({
  ids: z
    .string()
    .transform((value) => value.split(','))
    .pipe(z.array(Id).min(1).max(100))
    .meta({ description: 'Comma-separated project ids, at most 100', example: 'p-1,p-2' }),
});

export const ProjectsResponse = z.object({ projects: z.array(ProjectConnectionResponse) }).meta({ id: 'ProjectDingTalkConnections' });

/** Ticket URLs must be https, except on the local stage. */
export const ticketEventBodies = (allowHttpUrls: boolean) => {
  const s = createTicketEventSchemas({ allowHttpUrls });
  return { 'comment-added': s.CommentAdded, 'assignees-changed': s.AssigneesChanged, 'status-changed': s.StatusChanged } as const;
};

export const AcceptedResponse = z.object({ eventId: Id, accepted: z.literal(true) }).meta({ id: 'EventAccepted' });

export const TicketEventReportResponse = z
  .object({
    eventId: Id,
    type: z.enum(['comment-added', 'assignees-changed', 'status-changed']),
    ticketId: Id,
    projectId: Id,
    state: z.enum(['queued', 'processed', 'failed']),
    recipients: z.array(
      z.object({
        userId: Id,
        roles: z.array(z.enum(['creator', 'assignee', 'follower', 'added_assignee', 'removed_assignee', 'mentioned'])),
        outcome: z.enum(['actor', 'project_not_connected', 'no_phone', 'not_on_dingtalk', 'sent', 'failed']),
      }),
    ),
  })
  .meta({ id: 'TicketEventReport' });

export const HealthResponse = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum([
        'invalid_json',
        'validation_failed',
        'invalid_phone',
        'unauthorized',
        'not_found',
        'payload_too_large',
        'unsupported_media_type',
        'not_on_dingtalk',
        'internal',
      ]),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });
