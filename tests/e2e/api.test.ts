import { describe, expect, it } from 'vitest';
import { LOCAL_SIGNING_SECRET } from '../../local/signed-fetch.js';
import { sign } from '../../lib/http/signature.js';
import { body, statusChanged } from '../events.js';
import { api, apiUrl, messagesFor, newPhone, registerOnDingTalk, unique } from './helpers.js';

const raw = (method: string, path: string, init: { body?: string; headers?: Record<string, string>; sign?: boolean } = {}) => {
  const ts = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { ...init.headers };
  if (init.sign !== false) {
    headers['x-signature-timestamp'] = String(ts);
    headers['x-signature'] = sign(LOCAL_SIGNING_SECRET, ts, method, path, init.body ?? '');
  }
  return fetch(apiUrl() + path, { method, headers, body: init.body }).then(async (r) => ({ status: r.status, body: (await r.json().catch(() => undefined)) as any }));
};

describe('service routes (§6)', () => {
  it('answers /health without a signature', async () => {
    const r = await fetch(`${apiUrl()}/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok' });
  });

  it('publishes the OpenAPI 3.1 document without a signature', async () => {
    const doc = (await (await fetch(`${apiUrl()}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/ticket-events/comment-added']).toBeDefined();
  });

  it.each([
    ['GET', '/nope', true],
    ['GET', '/nope', false],
    ['PATCH', '/users/u-1/dingtalk', true],
  ])('answers %s %s (signed: %s) with 404 not_found', async (method, path, signed) => {
    const r = await raw(method, path, { sign: signed });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });
});

describe('signatures (§1)', () => {
  const path = () => `/users/${unique('u')}/dingtalk`;

  it('refuses unsigned, stale, tampered and wrongly keyed requests with 401', async () => {
    const p = path();
    const payload = JSON.stringify({ phone: '0912345678' });
    const stale = Math.floor(Date.now() / 1000) - 301;
    const cases = [
      await raw('PUT', p, { body: payload, headers: { 'content-type': 'application/json' }, sign: false }),
      await fetch(apiUrl() + p, {
        method: 'PUT',
        body: payload,
        headers: { 'content-type': 'application/json', 'x-signature-timestamp': String(stale), 'x-signature': sign(LOCAL_SIGNING_SECRET, stale, 'PUT', p, payload) },
      }).then(async (r) => ({ status: r.status, body: await r.json() })),
      await fetch(apiUrl() + p, {
        method: 'PUT',
        body: payload.replace('0912', '0913'),
        headers: { 'content-type': 'application/json', 'x-signature-timestamp': String(Math.floor(Date.now() / 1000)), 'x-signature': sign(LOCAL_SIGNING_SECRET, Math.floor(Date.now() / 1000), 'PUT', p, payload) },
      }).then(async (r) => ({ status: r.status, body: await r.json() })),
      await api('PUT', p, { phone: '0912345678' }, { secret: 'not-the-secret' }),
    ];
    for (const r of cases) expect({ status: r.status, body: r.body }).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'the request signature is missing or wrong' } } });
  });

  it('signs the query as sent', async () => {
    const r = await api('GET', '/projects/dingtalk?ids=p-a,p-b');
    expect(r.status).toBe(200);
  });
});

describe('users (§3)', () => {
  it('stores a phone, checks it with DingTalk, reads, tests and deletes it', async () => {
    const userId = unique('u');
    const phone = newPhone();
    const dingtalkUser = unique('dt');
    await registerOnDingTalk(phone.dingtalk, dingtalkUser);

    const put = await api('PUT', `/users/${userId}/dingtalk`, { phone: phone.typed.replace(/(\d{4})(\d{3})/, '$1 $2 '), locale: 'en' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ userId, phone: phone.e164, locale: 'en', dingtalk: { status: 'linked' } });
    expect(Date.parse(put.body.dingtalk.checkedAt)).toBeGreaterThan(0);
    expect((await api('GET', `/users/${userId}/dingtalk`)).body).toEqual(put.body);

    expect(await api('POST', `/users/${userId}/dingtalk/test`)).toMatchObject({ status: 200, body: { sent: true } });
    const received = await messagesFor(dingtalkUser);
    expect(received).toHaveLength(1);
    expect(received[0]!.msg.text?.content).toContain('Test notification');

    expect((await api('DELETE', `/users/${userId}/dingtalk`)).status).toBe(204);
    expect((await api('DELETE', `/users/${userId}/dingtalk`)).status).toBe(204);
    expect((await api('GET', `/users/${userId}/dingtalk`)).status).toBe(404);
    expect((await api('POST', `/users/${userId}/dingtalk/test`)).status).toBe(404);
  });

  it('says not_found for a phone DingTalk does not know, and 422 for its test message', async () => {
    const userId = unique('u');
    const put = await api('PUT', `/users/${userId}/dingtalk`, { phone: newPhone().typed });
    expect(put.body.dingtalk.status).toBe('not_found');
    expect(put.body.locale).toBe('vi');
    const test = await api('POST', `/users/${userId}/dingtalk/test`);
    expect(test.status).toBe(422);
    expect(test.body.error.code).toBe('not_on_dingtalk');
  });

  it.each([
    ['malformed JSON', '{"phone":', { 'content-type': 'application/json' }, 400, 'invalid_json'],
    ['a wrong content type', '{"phone":"0912345678"}', { 'content-type': 'text/plain' }, 415, 'unsupported_media_type'],
    ['an oversized body', JSON.stringify({ phone: 'x'.repeat(70_000) }), { 'content-type': 'application/json' }, 413, 'payload_too_large'],
    ['an unknown field', '{"phone":"0912345678","role":"admin"}', { 'content-type': 'application/json' }, 400, 'validation_failed'],
    ['an invalid phone', '{"phone":"12345"}', { 'content-type': 'application/json' }, 400, 'invalid_phone'],
    ['a landline', '{"phone":"024 3825 3535"}', { 'content-type': 'application/json' }, 400, 'invalid_phone'],
  ])('answers %s with the contract\'s error', async (_name, payload, headers, status, code) => {
    const r = await raw('PUT', `/users/${unique('u')}/dingtalk`, { body: payload, headers });
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
  });

  it('refuses a bad id with details', async () => {
    const r = await api('GET', `/users/${encodeURIComponent('-bad')}/dingtalk`);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: 'userId' })] });
  });
});

describe('projects (§4)', () => {
  it('connects and disconnects one project', async () => {
    const projectId = unique('p');
    expect((await api('GET', `/projects/${projectId}/dingtalk`)).body).toEqual({ projectId, connected: false });
    const put = await api('PUT', `/projects/${projectId}/dingtalk`, { connected: true, actorId: 'owner-1' });
    expect(put.body).toMatchObject({ projectId, connected: true, updatedBy: 'owner-1' });
    expect((await api('GET', `/projects/${projectId}/dingtalk`)).body).toEqual(put.body);
    await api('PUT', `/projects/${projectId}/dingtalk`, { connected: false, actorId: 'owner-2' });
    expect((await api('GET', `/projects/${projectId}/dingtalk`)).body).toMatchObject({ connected: false, updatedBy: 'owner-2' });
  });

  it('connects 1000 projects at once and lists 100 of them in the order asked', async () => {
    const prefix = unique('p');
    const projectIds = Array.from({ length: 1000 }, (_, i) => `${prefix}-${i}`);
    const all = await api('POST', '/projects/dingtalk/connect-all', { projectIds, actorId: 'owner-1' });
    expect(all.status).toBe(200);
    expect(all.body.updated).toBe(1000);
    const asked = [...projectIds.slice(900, 999).reverse(), `${prefix}-never`];
    const list = await api('GET', `/projects/dingtalk?ids=${asked.join(',')}`);
    expect(list.body.projects.map((p: { projectId: string }) => p.projectId)).toEqual(asked);
    expect(list.body.projects.map((p: { connected: boolean }) => p.connected)).toEqual([...Array(99).fill(true), false]);

    const off = await api('POST', '/projects/dingtalk/connect-all', { projectIds: projectIds.slice(0, 10), actorId: 'owner-1', connected: false });
    expect(off.body.projects.every((p: { connected: boolean }) => !p.connected)).toBe(true);
    expect((await api('GET', `/projects/${prefix}-3/dingtalk`)).body.connected).toBe(false);
  });

  it('refuses more than 100 ids in a list and more than 1000 in connect-all', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `p-${i}`);
    expect((await api('GET', `/projects/dingtalk?ids=${ids.join(',')}`)).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, (_, i) => `p-${i}`);
    expect((await api('POST', '/projects/dingtalk/connect-all', { projectIds: tooMany, actorId: 'o' })).status).toBe(400);
  });
});

describe('ticket events (§5)', () => {
  it('accepts a change with 202, a repeat the same, and reports 404 for an unknown event', async () => {
    const event = statusChanged({ eventId: unique('evt') });
    const first = await api('POST', '/ticket-events/status-changed', body(event));
    expect(first).toMatchObject({ status: 202, body: { eventId: event.eventId, accepted: true } });
    const again = await api('POST', '/ticket-events/status-changed', { ...body(event), status: { from: 'A', to: 'B' } });
    expect(again).toMatchObject({ status: 202, body: { eventId: event.eventId, accepted: true } });
    expect((await api('GET', `/ticket-events/${unique('evt')}`)).status).toBe(404);
  });

  it('refuses an event that breaks the schema', async () => {
    const r = await api('POST', '/ticket-events/comment-added', { ...body(statusChanged()), comment: { id: 'c', body: 5 } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
  });
});
