/**
 * `npm run chaos`: does the service lose or repeat messages when things break? 2000 ticket events through the
 * local stack while the local DingTalk server fails (20% `-1`, 5% HTTP 500, 5% hangs past the client's timeout,
 * tokens that live 30 s) and serverless offline, with the worker in it, is killed twice mid-run. Then 5000
 * malformed requests across every route. Prints figures; asserts nothing.
 *
 * Options (environment): CHAOS_EVENTS (2000), CHAOS_FUZZ (5000).
 */
import { performance } from 'node:perf_hooks';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import fc from 'fast-check';
import { sign } from '../lib/http/signature.js';
import { body, statusChanged } from '../tests/events.js';
import { LOCAL_SIGNING_SECRET, signedFetch } from './signed-fetch.js';
import { seedLinkedUsers } from './seed-users.js';
import { REGION, startStack, stopOnSignal, type Stack } from './stack.js';

const EVENTS = Number(process.env.CHAOS_EVENTS ?? 2000);
const FUZZ = Number(process.env.CHAOS_FUZZ ?? 5000);
const USERS = 200;
const RECIPIENTS = 3;
const out = (line = '') => console.log(line);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  out(`chaos on ${process.version}, ${new Date().toISOString()}: ${EVENTS} events, ${FUZZ} malformed requests`);
  const stack = await startStack({ env: { DINGTALK_TIMEOUT_MS: '2000', DINGTALK_RETRY_DELAY_MS: '200', LOG_LEVEL: 'ERROR' } });
  stopOnSignal(stack);
  try {
    if (EVENTS > 0) await events(stack);
    if (FUZZ > 0) await fuzz(stack);
  } finally {
    await stack.stop();
  }
}

async function events(stack: Stack) {
  const server = stack.dingtalk!.dingtalk;
  const users = await seedLinkedUsers(stack, USERS, 'chaos', '93');
  await signedFetch(stack.apiUrl, 'PUT', '/projects/chaos/dingtalk', { connected: true, actorId: 'chaos' });

  server.settings = { ...server.settings, tokenTtlSeconds: 30, failureRates: { busy: 0.2, http500: 0.05, hang: 0.05 } };
  const expected = new Set<string>();
  const started = performance.now();
  let next = 0;
  let postRetries = 0;
  let kills = 0;
  const progress = setInterval(() => out(`  … ${next} posted, ${delivered()} of ${EVENTS * RECIPIENTS} delivered, ${kills} kills`), 15_000);
  const post = async () => {
    while (next < EVENTS) {
      const i = next++;
      const group = Array.from({ length: RECIPIENTS }, (_, k) => users[(i * RECIPIENTS + k) % USERS]!);
      const event = statusChanged({
        eventId: `chaos-${i}`,
        occurredAt: new Date(Date.UTC(2026, 11, 4, 3, 0, 0) + i * 1000).toISOString(),
        actor: { id: 'chaos-actor', name: 'Chaos' },
        ticket: { key: `CH-${i}`, projectId: 'chaos', creatorId: group[0], assigneeIds: [], followerIds: group.slice(1) },
      });
      for (const u of group) expected.add(`dt-${u}|CH-${i}`);
      // The ticket system retries a post that failed (the API is being restarted), with the same event id.
      for (;;) {
        const r = await signedFetch(stack.apiUrl, 'POST', '/ticket-events/status-changed', body(event)).catch(() => undefined);
        if (r?.status === 202) break;
        postRetries++;
        await sleep(500);
      }
    }
  };
  const delivered = () => server.messages.filter((m) => m.dropped === null && m.userid.startsWith('dt-chaos-')).length;
  // Kill serverless offline (the worker with it) twice, while batches are in flight.
  const killer = (async () => {
    for (const share of [1 / 3, 2 / 3]) {
      while (delivered() < expected.size * share || expected.size < EVENTS * RECIPIENTS * share) await sleep(100);
      await stack.restartApi();
      kills++;
    }
  })();
  await Promise.all(Array.from({ length: 20 }, post));
  const postedAt = performance.now();
  await killer;

  let last = -1;
  let stableSince = performance.now();
  while (delivered() < expected.size) {
    const now = delivered();
    if (now !== last) {
      last = now;
      stableSince = performance.now();
    } else if (performance.now() - stableSince > 180_000) break; // nothing moved for 3 minutes
    await sleep(500);
  }
  const drainedAt = performance.now();
  clearInterval(progress);
  server.settings = { ...server.settings, failureRates: { busy: 0, http500: 0, hang: 0 } };

  const seen = new Map<string, number>();
  let duplicateSends = 0;
  for (const m of server.messages) {
    if (!m.userid.startsWith('dt-chaos-')) continue;
    const key = /CH-\d+/.exec(JSON.stringify(m.msg))?.[0];
    const pair = `${m.userid}|${key}`;
    if (m.dropped === 'duplicate_content') duplicateSends++;
    if (m.dropped === null) seen.set(pair, (seen.get(pair) ?? 0) + 1);
  }
  const lost = [...expected].filter((pair) => !seen.has(pair)).length;
  const seenTwice = [...seen.values()].filter((n) => n > 1).length;

  let processed = 0;
  for (let i = 0; i < EVENTS; i++) {
    const r = await signedFetch(stack.apiUrl, 'GET', `/ticket-events/chaos-${i}`);
    if (r.body?.state === 'processed') processed++;
  }
  const sqs = new SQSClient({ region: REGION, endpoint: stack.sqsEndpoint, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  const dlq = await sqs.send(new ReceiveMessageCommand({ QueueUrl: stack.deadLetterQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
  sqs.destroy();
  const calls = server.calls;
  const failures = calls.filter((c) => c.errcode === -1 || c.status >= 500 || c.status === 0).length;

  out('\n== Events under failure ==');
  out(`DingTalk calls: ${calls.length} (${failures} failed or hung on purpose); gettoken: ${calls.filter((c) => c.path === '/gettoken').length}`);
  out(`worker process killed: ${kills} times; posts retried by the client while the API restarted: ${postRetries}`);
  out(`events processed / posted:        ${processed} / ${EVENTS}`);
  out(`messages expected / received:     ${expected.size} / ${seen.size}`);
  out(`lost:                             ${lost}   (target 0)`);
  out(`seen twice by a person:           ${seenTwice}   (target 0)`);
  out(`re-sent, dropped by DingTalk as identical content: ${duplicateSends}`);
  out(`messages in the DLQ:              ${dlq.Messages?.length ?? 0}   (target 0)`);
  out(`posting took ${((postedAt - started) / 1000).toFixed(1)} s; drained ${((drainedAt - postedAt) / 1000).toFixed(1)} s after the last post`);
}

/** Malformed requests on every route: none may answer 5xx, and every error must be the contract's envelope. */
async function fuzz(stack: Stack) {
  const routes: [string, string][] = [
    ['PUT', '/users/u-1/dingtalk'],
    ['GET', '/users/u-1/dingtalk'],
    ['DELETE', '/users/u-1/dingtalk'],
    ['POST', '/users/u-1/dingtalk/test'],
    ['PUT', '/projects/p-1/dingtalk'],
    ['GET', '/projects/p-1/dingtalk'],
    ['POST', '/projects/dingtalk/connect-all'],
    ['GET', '/projects/dingtalk?ids=p-1'],
    ['POST', '/ticket-events/comment-added'],
    ['POST', '/ticket-events/assignees-changed'],
    ['POST', '/ticket-events/status-changed'],
    ['GET', '/ticket-events/evt-1'],
    ['GET', '/health'],
    ['GET', '/openapi.json'],
    ['POST', '/nope'],
  ];
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const bodyArb = fc.oneof(
    fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.record({ phone: fc.anything(), locale: fc.anything(), connected: fc.anything(), projectIds: fc.anything() }).map((v) => JSON.stringify(v)),
    fc.string({ minLength: 60_000, maxLength: 70_000 }).map((s) => JSON.stringify({ phone: s })),
    fc.integer({ min: 100, max: 5000 }).map(deep),
    fc.constant(''),
  );
  const pathArb = fc.oneof(
    fc.constantFrom(...routes),
    fc.tuple(fc.constantFrom('GET', 'PUT', 'POST', 'DELETE'), fc.string({ maxLength: 200 }).map((s) => `/users/${encodeURIComponent(s)}/dingtalk`)),
    fc.tuple(fc.constantFrom('GET', 'POST'), fc.string({ maxLength: 300 }).map((s) => `/projects/dingtalk?ids=${encodeURIComponent(s)}`)),
  );
  const signatureArb = fc.constantFrom('good', 'none', 'stale', 'garbage', 'other-secret');
  const typeArb = fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', '');
  const cases = fc.sample(fc.record({ route: pathArb, body: bodyArb, signature: signatureArb, type: typeArb }), FUZZ);

  let fiveHundreds = 0;
  let badEnvelopes = 0;
  const closed: string[] = [];
  const statuses = new Map<number, number>();
  let index = 0;
  const worker = async () => {
    while (index < cases.length) {
      const c = cases[index++]!;
      const [method, path] = c.route;
      const raw = method === 'GET' || method === 'DELETE' ? '' : c.body;
      const ts = c.signature === 'stale' ? Math.floor(Date.now() / 1000) - 1000 : Math.floor(Date.now() / 1000);
      const headers: Record<string, string> = {};
      if (c.type) headers['content-type'] = c.type;
      if (c.signature !== 'none') {
        headers['x-signature-timestamp'] = String(ts);
        headers['x-signature'] = c.signature === 'garbage' ? 'v1=zz' : sign(c.signature === 'other-secret' ? 'nope' : LOCAL_SIGNING_SECRET, ts, method, path, raw);
      }
      const response = await fetch(stack.apiUrl + path, { method, headers, body: raw || undefined }).catch(() => undefined);
      if (!response) {
        closed.push(`${method} ${path.slice(0, 60)} body ${raw.length} chars, content-type "${c.type}"`);
        continue;
      }
      const text = await response.text();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) fiveHundreds++;
      if (response.status >= 400) {
        try {
          const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
          if (typeof parsed.error?.code !== 'string' || typeof parsed.error.message !== 'string') badEnvelopes++;
        } catch {
          badEnvelopes++;
        }
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 10 }, worker));
  out('\n== Malformed requests ==');
  out(`${cases.length} requests in ${((performance.now() - started) / 1000).toFixed(1)} s; statuses: ${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(' ')}`);
  out(`5xx answers:                      ${fiveHundreds}   (target 0)`);
  out(`errors outside the envelope:      ${badEnvelopes}   (target 0)`);
  out(`connections closed without an answer: ${closed.length}${closed.length ? `, e.g. ${closed.slice(0, 3).join('; ')}` : ''}`);
}

await main();
