import { createDocument, type ZodOpenApiOperationObject } from 'zod-openapi';
import * as z from 'zod';
import * as s from './schemas.js';

const jsonContent = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { description: ERROR_DESCRIPTIONS[status] ?? 'error', ...jsonContent(s.ErrorResponse) }]));
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'invalid_json, validation_failed or invalid_phone',
  401: 'unauthorized: signature missing or wrong',
  404: 'not_found',
  413: 'payload_too_large: body over 64 KiB',
  415: 'unsupported_media_type',
  422: 'not_on_dingtalk',
  500: 'internal',
};
const signed = [{ signature: [] }];
const SIGNED_ERRORS = [400, 401, 404, 413, 415, 500];

function op(summary: string, spec: Omit<ZodOpenApiOperationObject, 'summary' | 'responses'>, ok: Record<string, unknown>, extraErrors: number[] = []): ZodOpenApiOperationObject {
  return { summary, security: signed, ...spec, responses: { ...ok, ...errors(...SIGNED_ERRORS, ...extraErrors) } } as ZodOpenApiOperationObject;
}

/** The OpenAPI 3.1 document of the contract, built from the schemas the handlers validate with. */
export function buildOpenApiDocument() {
  const events = s.ticketEventBodies(false);
  const ticketEventOp = (name: keyof typeof events, summary: string) =>
    op(summary, { requestBody: jsonContent(events[name]) }, { '202': { description: 'queued', ...jsonContent(s.AcceptedResponse) } });
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Ticket notifications through DingTalk',
      version: '1.0.0',
      description:
        'Signed requests: X-Signature-Timestamp (Unix seconds) and X-Signature = "v1=" + hex HMAC-SHA256 of ' +
        '"v1:{timestamp}:{METHOD}:{path}:{body}" with a shared secret. Every route but /health and /openapi.json.',
    },
    components: {
      securitySchemes: { signature: { type: 'apiKey', in: 'header', name: 'X-Signature' } },
      schemas: { CommentAdded: events['comment-added'], AssigneesChanged: events['assignees-changed'], StatusChanged: events['status-changed'] },
    },
    paths: {
      '/users/{userId}/dingtalk': {
        put: op('Set a user\'s phone and language', { requestParams: { path: s.UserIdParams }, requestBody: jsonContent(s.PutUserBody) }, { '200': { description: 'saved', ...jsonContent(s.UserSettingsResponse) } }),
        get: op('A user\'s DingTalk settings', { requestParams: { path: s.UserIdParams } }, { '200': { description: 'the settings', ...jsonContent(s.UserSettingsResponse) } }),
        delete: op('Forget a user\'s phone', { requestParams: { path: s.UserIdParams } }, { '204': { description: 'deleted, or there was nothing' } }),
      },
      '/users/{userId}/dingtalk/test': {
        post: op('Send a test notification now', { requestParams: { path: s.UserIdParams } }, { '200': { description: 'sent', ...jsonContent(s.TestSentResponse) } }, [422]),
      },
      '/projects/{projectId}/dingtalk': {
        put: op('Connect or disconnect a project', { requestParams: { path: s.ProjectIdParams }, requestBody: jsonContent(s.PutProjectBody) }, { '200': { description: 'saved', ...jsonContent(s.ProjectConnectionResponse) } }),
        get: op('A project\'s connection', { requestParams: { path: s.ProjectIdParams } }, { '200': { description: 'the connection', ...jsonContent(s.ProjectConnectionResponse) } }),
      },
      '/projects/dingtalk/connect-all': {
        post: op('Connect (or disconnect) many projects at once', { requestBody: jsonContent(s.ConnectAllBody) }, { '200': { description: 'all updated', ...jsonContent(s.ConnectAllResponse) } }),
      },
      '/projects/dingtalk': {
        get: op('Connections of up to 100 projects, in the order asked', { requestParams: { query: s.ProjectsQuery } }, { '200': { description: 'the connections', ...jsonContent(s.ProjectsResponse) } }),
      },
      '/ticket-events/comment-added': { post: ticketEventOp('comment-added', 'A ticket got a new comment') },
      '/ticket-events/assignees-changed': { post: ticketEventOp('assignees-changed', 'A ticket\'s handlers changed') },
      '/ticket-events/status-changed': { post: ticketEventOp('status-changed', 'A ticket\'s status changed') },
      '/ticket-events/{eventId}': {
        get: op('Who was notified of an event, and why not', { requestParams: { path: s.EventIdParams } }, { '200': { description: 'the report', ...jsonContent(s.TicketEventReportResponse) } }),
      },
      '/health': { get: { summary: 'Liveness', responses: { '200': { description: 'ok', ...jsonContent(s.HealthResponse) } } } },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
  });
}
