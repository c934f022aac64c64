import { describe, expect, it } from 'vitest';
import { createConnectAllProjectsHandler } from '../../functions/connect-all-projects.js';
import { createDeleteUserDingTalkHandler } from '../../functions/delete-user-dingtalk.js';
import { createGetProjectDingTalkHandler } from '../../functions/get-project-dingtalk.js';
import { createGetTicketEventHandler } from '../../functions/get-ticket-event.js';
import { createGetUserDingTalkHandler } from '../../functions/get-user-dingtalk.js';
import { createHealthHandler } from '../../functions/health.js';
import { createListProjectsDingTalkHandler } from '../../functions/list-projects-dingtalk.js';
import { createNotFoundHandler } from '../../functions/not-found.js';
import { createOpenApiHandler } from '../../functions/openapi.js';
import { createPostTicketEventHandler } from '../../functions/post-ticket-event.js';
import { createPutProjectDingTalkHandler } from '../../functions/put-project-dingtalk.js';
import { createPutUserDingTalkHandler } from '../../functions/put-user-dingtalk.js';
import { createTestUserDingTalkHandler } from '../../functions/test-user-dingtalk.js';
import { DingTalkTransientError } from '../../lib/core/ports.js';
import { body, commentAdded, statusChanged } from '../events.js';
import { fakeDeps } from '../fake-deps.js';
import { call } from '../http-events.js';

const setup = (env?: Record<string, string>) => {
  const deps = fakeDeps(env);
  deps.dingtalk.directory.set('+84-912345678', 'nguyenvana');
  const get = async () => deps;
  return {
    deps,
    putUser: createPutUserDingTalkHandler(get),
    getUser: createGetUserDingTalkHandler(get),
    deleteUser: createDeleteUserDingTalkHandler(get),
    testUser: createTestUserDingTalkHandler(get),
    putProject: createPutProjectDingTalkHandler(get),
    getProject: createGetProjectDingTalkHandler(get),
    listProjects: createListProjectsDingTalkHandler(get),
    connectAll: createConnectAllProjectsHandler(get),
    statusChanged: createPostTicketEventHandler('status-changed', get),
    commentAdded: createPostTicketEventHandler('comment-added', get),
    getEvent: createGetTicketEventHandler(get),
  };
};

const putUser = (userId: string, payload: unknown, extra: object = {}) => ({
  method: 'PUT',
  path: `/users/${userId}/dingtalk`,
  routeKey: 'PUT /users/{userId}/dingtalk',
  pathParameters: { userId },
  body: payload as object,
  ...extra,
});

describe('user settings', () => {
  it('stores the phone as E.164 and tells whether DingTalk knows it', async () => {
    const h = setup();
    const res = await call(h.putUser, putUser('u-1', { phone: '0912 345 678' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userId: 'u-1',
      phone: '+84912345678',
      locale: 'vi',
      dingtalk: { status: 'linked', checkedAt: '2026-12-04T10:00:00.000Z' },
      updatedAt: '2026-12-04T10:00:00.000Z',
    });
    expect(JSON.stringify(res.body)).not.toContain('nguyenvana');
    expect((await call(h.getUser, { method: 'GET', path: '/users/u-1/dingtalk', pathParameters: { userId: 'u-1' } })).body).toEqual(res.body);
  });

  it('answers not_found for a phone DingTalk does not know, and unverified when DingTalk is down', async () => {
    const h = setup();
    expect((await call(h.putUser, putUser('u-2', { phone: '0911111111', locale: 'en' }))).body.dingtalk.status).toBe('not_found');
    h.deps.dingtalk.failures.push(new DingTalkTransientError('down'));
    const res = await call(h.putUser, putUser('u-3', { phone: '0912345678' }));
    expect(res.status).toBe(200);
    expect(res.body.dingtalk).toEqual({ status: 'unverified' });
  });

  it('refuses a phone that is not a mobile number', async () => {
    const res = await call(setup().putUser, putUser('u-1', { phone: '024 3825 3535' }));
    expect(res).toEqual({ status: 400, body: { error: { code: 'invalid_phone', message: 'phone is not a mobile number' } } });
  });

  it('answers 404 for a user without settings, 204 on delete even twice, then 404', async () => {
    const h = setup();
    const get = { method: 'GET', path: '/users/u-1/dingtalk', pathParameters: { userId: 'u-1' } };
    expect((await call(h.getUser, get)).body.error.code).toBe('not_found');
    await call(h.putUser, putUser('u-1', { phone: '0912345678' }));
    const del = { method: 'DELETE', path: '/users/u-1/dingtalk', pathParameters: { userId: 'u-1' } };
    expect((await call(h.deleteUser, del)).status).toBe(204);
    expect((await call(h.deleteUser, del)).status).toBe(204);
    expect((await call(h.getUser, get)).status).toBe(404);
    expect(h.deps.users.users.has('u-1')).toBe(false);
  });

  it('sends a test notification, 404 without a phone, 422 when DingTalk does not know it', async () => {
    const h = setup();
    const test = (userId: string) => ({ method: 'POST', path: `/users/${userId}/dingtalk/test`, pathParameters: { userId } });
    expect((await call(h.testUser, test('nobody'))).status).toBe(404);
    await call(h.putUser, putUser('u-1', { phone: '0912345678' }));
    expect(await call(h.testUser, test('u-1'))).toEqual({ status: 200, body: { sent: true } });
    expect(h.deps.dingtalk.sends[0]!.userIds).toEqual(['nguyenvana']);
    await call(h.putUser, putUser('u-2', { phone: '0911111111' }));
    expect((await call(h.testUser, test('u-2'))).body.error.code).toBe('not_on_dingtalk');
  });
});

describe('the error envelope', () => {
  it.each([
    ['malformed JSON', { body: '{"phone":', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
    ['an empty body', { body: '', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
    ['a form body', { body: 'phone=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported_media_type'],
    ['JSON without a content type', { body: '{"phone":"0912345678"}', headers: {} }, 415, 'unsupported_media_type'],
    ['a body over 64 KiB', { body: { phone: 'x'.repeat(70_000) } }, 413, 'payload_too_large'],
    ['an unknown field', { body: { phone: '0912345678', admin: true } }, 400, 'validation_failed'],
    ['a wrong type', { body: { phone: 912345678 } }, 400, 'validation_failed'],
    ['an unknown locale', { body: { phone: '0912345678', locale: 'fr' } }, 400, 'validation_failed'],
  ])('answers %s with %i %s', async (_name, extra, status, code) => {
    const res = await call(setup().putUser, putUser('u-1', undefined, extra));
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
  });

  it('says where validation failed', async () => {
    const res = await call(setup().putUser, putUser('bad id!', { phone: 5, extra: 1 }));
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'userId' }),
        expect.objectContaining({ path: 'phone' }),
        expect.objectContaining({ path: '(body)' }),
      ]),
    );
  });

  it.each([
    ['no signature', { signed: false }],
    ['a stale timestamp', { signed: { timestamp: Math.floor(Date.now() / 1000) - 400 } }],
    ['a wrong secret', { signed: { secret: 'guess' } }],
    ['a tampered body', { headers: {}, body: { phone: '0912345678' }, tamper: true }],
  ])('answers 401 unauthorized for %s, saying nothing more', async (_name, extra) => {
    const h = setup();
    const input = putUser('u-1', { phone: '0912345678' }, extra);
    const handler = 'tamper' in extra ? async (e: any, c: any) => h.putUser({ ...e, body: '{"phone":"0999999999"}' }, c) : h.putUser;
    const res = await call(handler, input);
    expect(res).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'the request signature is missing or wrong' } } });
  });

  it('hides internal errors behind 500 internal', async () => {
    const h = setup();
    h.deps.users.get = async () => {
      throw new Error('ResourceNotFoundException: table users at arn:aws:dynamodb:secret');
    };
    const res = await call(h.getUser, { method: 'GET', path: '/users/u-1/dingtalk', pathParameters: { userId: 'u-1' } });
    expect(res).toEqual({ status: 500, body: { error: { code: 'internal', message: 'internal error' } } });
  });

  it('answers 404 for unknown routes, signed or not', async () => {
    const notFound = createNotFoundHandler(async () => fakeDeps());
    for (const signed of [false, undefined] as const) {
      const res = await call(notFound, { method: 'GET', path: '/nope', routeKey: '$default', signed });
      expect(res).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'no such route' } } });
    }
  });

  it('serves /health and /openapi.json without a signature', async () => {
    expect(await call(createHealthHandler(async () => fakeDeps()), { method: 'GET', path: '/health', signed: false })).toEqual({ status: 200, body: { status: 'ok' } });
    const doc = await call(createOpenApiHandler(async () => fakeDeps()), { method: 'GET', path: '/openapi.json', signed: false });
    expect(doc.body.openapi).toBe('3.1.0');
  });
});

describe('project connections', () => {
  it('connects one project and reads it back; a never-configured one is not connected', async () => {
    const h = setup();
    const put = await call(h.putProject, { method: 'PUT', path: '/projects/p-1/dingtalk', pathParameters: { projectId: 'p-1' }, body: { connected: true, actorId: 'owner-1' } });
    expect(put.body).toEqual({ projectId: 'p-1', connected: true, updatedBy: 'owner-1', updatedAt: '2026-12-04T10:00:00.000Z' });
    expect((await call(h.getProject, { method: 'GET', path: '/projects/p-1/dingtalk', pathParameters: { projectId: 'p-1' } })).body).toEqual(put.body);
    expect((await call(h.getProject, { method: 'GET', path: '/projects/p-9/dingtalk', pathParameters: { projectId: 'p-9' } })).body).toEqual({ projectId: 'p-9', connected: false });
  });

  it('connects all listed projects, defaulting to connected, and lists them in the order asked', async () => {
    const h = setup();
    const projectIds = Array.from({ length: 1000 }, (_, i) => `p-${i}`);
    const res = await call(h.connectAll, { method: 'POST', path: '/projects/dingtalk/connect-all', body: { projectIds, actorId: 'owner-1' } });
    expect(res.status).toBe(200);
    expect(res.body.updated).toBe(1000);
    const list = await call(h.listProjects, { method: 'GET', path: '/projects/dingtalk', query: 'ids=p-5,zz,p-1' });
    expect(list.body.projects.map((p: { projectId: string; connected: boolean }) => [p.projectId, p.connected])).toEqual([
      ['p-5', true],
      ['zz', false],
      ['p-1', true],
    ]);
  });

  it.each([
    ['no ids', { projectIds: [], actorId: 'o' }],
    ['1001 ids', { projectIds: Array.from({ length: 1001 }, (_, i) => `p-${i}`), actorId: 'o' }],
    ['repeated ids', { projectIds: ['p-1', 'p-1'], actorId: 'o' }],
    ['no actor', { projectIds: ['p-1'] }],
  ])('refuses connect-all with %s', async (_name, payload) => {
    const res = await call(setup().connectAll, { method: 'POST', path: '/projects/dingtalk/connect-all', body: payload });
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('refuses more than 100 ids in a list', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `p-${i}`).join(',');
    expect((await call(setup().listProjects, { method: 'GET', path: '/projects/dingtalk', query: `ids=${ids}` })).status).toBe(400);
  });
});

describe('ticket events', () => {
  it('queues a change and answers 202; a repeat answers the same and queues nothing', async () => {
    const h = setup();
    const event = statusChanged();
    const post = { method: 'POST', path: '/ticket-events/status-changed', body: body(event) };
    expect(await call(h.statusChanged, post)).toEqual({ status: 202, body: { eventId: event.eventId, accepted: true } });
    expect(await call(h.statusChanged, post)).toEqual({ status: 202, body: { eventId: event.eventId, accepted: true } });
    expect(h.deps.queue.sent).toEqual([event.eventId]);
    const report = await call(h.getEvent, { method: 'GET', path: `/ticket-events/${event.eventId}`, pathParameters: { eventId: event.eventId } });
    expect(report.body).toEqual({ eventId: event.eventId, type: 'status-changed', ticketId: 't-42', projectId: 'p-1', state: 'queued', recipients: [] });
  });

  it('requires https ticket URLs, except where the stage allows http', async () => {
    const event = body(commentAdded({ ticket: { url: 'http://tickets.example.com/1' } }));
    const post = { method: 'POST', path: '/ticket-events/comment-added', body: event };
    const strict = await call(setup().commentAdded, post);
    expect(strict.status).toBe(400);
    expect(strict.body.error.details).toEqual([expect.objectContaining({ path: 'ticket.url' })]);
    expect((await call(setup({ ALLOW_HTTP_TICKET_URLS: 'true' }).commentAdded, post)).status).toBe(202);
  });

  it.each([
    ['a comment over 10000 characters', { comment: { id: 'c', body: 'x'.repeat(10001) } }, 'comment.body'],
    ['more than 100 assignees', { ticket: { assigneeIds: Array.from({ length: 101 }, (_, i) => `a-${i}`) } }, 'ticket.assigneeIds'],
    ['a bad actor id', { actor: { id: '-bad', name: 'B' } }, 'actor.id'],
    ['a time without zone', { occurredAt: '2026-12-04 10:00' }, 'occurredAt'],
    ['a ticket URL longer than DingTalk takes', { ticket: { url: `https://tickets.example.com/${'a'.repeat(480)}` } }, 'ticket.url'],
  ])('refuses %s', async (_name, overrides, path) => {
    const res = await call(setup().commentAdded, { method: 'POST', path: '/ticket-events/comment-added', body: body(commentAdded(overrides)) });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it('answers 404 for an unknown event', async () => {
    const res = await call(setup().getEvent, { method: 'GET', path: '/ticket-events/evt-x', pathParameters: { eventId: 'evt-x' } });
    expect(res.status).toBe(404);
  });
});
