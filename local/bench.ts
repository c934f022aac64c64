/**
 * `npm run bench`: what one event costs, how fast the code is, how big and quick to load each function is, and
 * how the local stack keeps up. Prints figures; asserts nothing (see docs/performance.md for the latest run).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { build } from 'esbuild';
import { createPostTicketEventHandler } from '../functions/post-ticket-event.js';
import { DingTalkClient } from '../lib/adapters/dingtalk-client.js';
import { createDocumentClient } from '../lib/adapters/dynamodb.js';
import { DynamoEventStore } from '../lib/adapters/event-store.js';
import { DynamoProjectStore } from '../lib/adapters/project-store.js';
import { SqsEventQueue } from '../lib/adapters/sqs-event-queue.js';
import { DynamoUserStore } from '../lib/adapters/user-store.js';
import { acceptTicketEvent } from '../lib/core/accept-ticket-event.js';
import { notifyTicketEvent } from '../lib/core/notify-ticket-event.js';
import type { E164 } from '../lib/core/phone.js';
import { body, statusChanged } from '../tests/events.js';
import { fakeDeps } from '../tests/fake-deps.js';
import { apiEvent, lambdaContext } from '../tests/http-events.js';
import { silentLog } from '../tests/fakes.js';
import { signedFetch } from './signed-fetch.js';
import { seedLinkedUsers } from './seed-users.js';
import { REGION, startStack, stopOnSignal } from './stack.js';

const SEND = '/topapi/message/corpconversation/asyncsend_v2';
const LOOKUP = '/topapi/v2/user/getbymobile';
const out = (line = '') => console.log(line);
const fmt = (n: number, digits = 2) => n.toFixed(digits);
const mark = (ok: boolean) => (ok ? 'ok  ' : 'MISS');

async function main() {
  const only = process.argv[2];
  out(`bench on ${process.version}, ${(await import('node:os')).cpus().length} cores, ${new Date().toISOString()}`);
  if (!only || only === 'cost') await cost();
  if (!only || only === 'cpu') await cpu();
  if (!only || only === 'cold') await coldStart();
  if (!only || only === 'throughput') await throughput();
}

/** 1. Requests per event, counted at the local DingTalk server and around the DynamoDB client. */
async function cost() {
  out('\n== 1. Cost per event (real adapters, local DynamoDB, local DingTalk server) ==');
  const stack = await startStack({ api: false });
  stopOnSignal(stack);
  try {
    const env = stack.config.provider.environment;
    const aws = { region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const dynamodb = new DynamoDBClient({ ...aws, endpoint: stack.dynamodbEndpoint });
    let dynamoRequests = 0;
    dynamodb.middlewareStack.add((next) => async (args) => {
      dynamoRequests++;
      return next(args);
    }, { step: 'initialize', name: 'countRequests' });
    const db = createDocumentClient(dynamodb);
    const server = stack.dingtalk!.dingtalk;
    const deps = {
      users: new DynamoUserStore(db, env.USERS_TABLE!),
      projects: new DynamoProjectStore(db, env.PROJECTS_TABLE!),
      events: new DynamoEventStore(db, env.EVENTS_TABLE!, 30),
      queue: new SqsEventQueue(new SQSClient({ ...aws, endpoint: stack.sqsEndpoint }), stack.queueUrl),
      dingtalk: new DingTalkClient({
        baseUrl: stack.dingtalkUrl,
        appKey: 'local-app-key',
        appSecret: 'local-app-secret',
        agentId: 1000001,
        timeoutMs: 5000,
        maxCallsPerSecond: 20,
        transientRetries: 2,
        retryDelayMs: 1000,
        log: silentLog,
      }),
      clock: () => new Date(),
      log: silentLog,
      recheckSeconds: 3600,
      leaseSeconds: 90,
    };
    await deps.projects.put({ projectId: 'bench-p', connected: true });
    const calls = (path: string) => server.calls.filter((c) => c.path === path).length;
    let seq = 0;

    out('recipients | DynamoDB: ingest  worker  total | asyncsend_v2 | getbymobile first / known | target');
    for (const n of [5, 25, 100, 1000]) {
      const ids = Array.from({ length: n }, (_, i) => `bench-${n}-${i}`);
      for (const [i, userId] of ids.entries()) {
        const national = `9${String(n).padStart(4, '0')}${String(i).padStart(4, '0')}`;
        server.directory.push({ mobile: `+84-${national}`, userid: `dt-${userId}` });
        await deps.users.put({ userId, phone: `+84${national}` as E164, locale: 'vi', dingtalk: { status: 'unverified' }, updatedAt: '' });
      }
      const event = () =>
        statusChanged({
          eventId: `bench-evt-${++seq}`,
          occurredAt: new Date(Date.UTC(2026, 11, 4, 0, 0, seq)).toISOString(),
          actor: { id: 'bench-actor', name: 'Bench' },
          ticket: { projectId: 'bench-p', creatorId: ids[0], assigneeIds: [], followerIds: ids.slice(1) },
        });
      // The first event meets phones DingTalk was never asked about; the next ones reuse the stored ids.
      const lookupsBefore = calls(LOOKUP);
      const first = event();
      await acceptTicketEvent(deps, first);
      await notifyTicketEvent(deps, first.eventId, { finalAttempt: false });
      const firstLookups = calls(LOOKUP) - lookupsBefore;

      const runs = 5;
      let ingest = 0;
      let worker = 0;
      const sendsBefore = calls(SEND);
      const lookupsKnown = calls(LOOKUP);
      for (let r = 0; r < runs; r++) {
        const e = event();
        let before = dynamoRequests;
        await acceptTicketEvent(deps, e);
        ingest += dynamoRequests - before;
        before = dynamoRequests;
        await notifyTicketEvent(deps, e.eventId, { finalAttempt: false });
        worker += dynamoRequests - before;
      }
      const sends = (calls(SEND) - sendsBefore) / runs;
      const target = n <= 25 ? worker / runs <= 5 : true;
      out(
        `${String(n).padStart(10)} | ${fmt(ingest / runs, 1).padStart(15)} ${fmt(worker / runs, 1).padStart(7)} ${fmt((ingest + worker) / runs, 1).padStart(6)} | ${fmt(sends, 1).padStart(12)} | ${String(firstLookups).padStart(11)} / ${calls(LOOKUP) - lookupsKnown} | ${mark(target && sends === Math.ceil(n / 100))} worker ≤ 5 up to 25, 1 send per 100`,
      );
    }

    const tokensBefore = calls('/gettoken');
    const started = performance.now();
    const small = Array.from({ length: 5 }, (_, i) => `bench-5-${i}`);
    for (let i = 0; i < 1000; i++) {
      const e = statusChanged({
        eventId: `bench-token-${i}`,
        occurredAt: new Date(Date.UTC(2026, 11, 4, 1, 0, 0) + i * 1000).toISOString(),
        actor: { id: 'bench-actor', name: 'Bench' },
        ticket: { projectId: 'bench-p', creatorId: small[0], assigneeIds: [], followerIds: small.slice(1) },
      });
      await acceptTicketEvent(deps, e);
      await notifyTicketEvent(deps, e.eventId, { finalAttempt: false });
    }
    const tokens = calls('/gettoken') - tokensBefore;
    out(`gettoken calls for 1000 events: ${tokens} (${mark(tokens <= 1)} target ≤ 1; ${fmt((performance.now() - started) / 1000, 1)} s, sends paced at 20/s)`);
    dynamodb.destroy();
  } finally {
    await stack.stop();
  }
}

/** 2. CPU per request, in process, with in-memory fakes. */
async function cpu() {
  out('\n== 2. CPU per request (in process, in-memory fakes, after warm-up) ==');
  const iterations = 10_000;
  const deps = fakeDeps();
  deps.projects.projects.set('p-1', { projectId: 'p-1', connected: true });
  const ingest = createPostTicketEventHandler('status-changed', async () => deps);
  const makeEvents = (count: number, prefix: string): APIGatewayProxyEventV2[] =>
    Array.from({ length: count }, (_, i) =>
      apiEvent({ method: 'POST', path: '/ticket-events/status-changed', body: body(statusChanged({ eventId: `${prefix}-${i}` })) }),
    );
  const bare = async (event: APIGatewayProxyEventV2) => {
    const parsed = JSON.parse(event.body!) as { eventId: string };
    return { statusCode: 202, body: JSON.stringify({ eventId: parsed.eventId, accepted: true }) };
  };
  const time = async (run: (e: APIGatewayProxyEventV2) => Promise<unknown>, events: APIGatewayProxyEventV2[]) => {
    const samples: number[] = [];
    for (const e of events) {
      const t = performance.now();
      await run(e);
      samples.push(performance.now() - t);
    }
    return percentiles(samples);
  };
  await time((e) => ingest(e, lambdaContext), makeEvents(2000, 'warm'));
  await time(bare, makeEvents(2000, 'warm-bare'));
  const full = await time((e) => ingest(e, lambdaContext), makeEvents(iterations, 'run'));
  const plain = await time(bare, makeEvents(iterations, 'run-bare'));
  out(`ingest handler (signature + validation + store + enqueue): p50 ${fmt(full.p50 * 1000, 0)} µs, p99 ${fmt(full.p99 * 1000, 0)} µs  ${mark(full.p99 <= 1)} p99 ≤ 1 ms`);
  out(`bare handler (JSON.parse only):                          p50 ${fmt(plain.p50 * 1000, 0)} µs, p99 ${fmt(plain.p99 * 1000, 0)} µs`);
  out(`ratio p50 ${fmt(full.p50 / plain.p50, 1)}, p99 ${fmt(full.p99 / plain.p99, 1)}  ${mark(full.p99 / plain.p99 <= 5)} ratio ≤ 5`);

  for (const n of [20, 1000]) {
    const d = fakeDeps();
    d.projects.projects.set('p-1', { projectId: 'p-1', connected: true });
    const ids = Array.from({ length: n }, (_, i) => `u-${i}`);
    for (const id of ids) {
      d.users.users.set(id, { userId: id, phone: '+84912345678' as E164, locale: 'vi', dingtalk: { status: 'linked', dingtalkUserId: `dt-${id}`, checkedAt: new Date().toISOString() }, updatedAt: '' });
    }
    const samples: number[] = [];
    for (let i = 0; i < 300; i++) {
      const e = statusChanged({ eventId: `w-${n}-${i}`, ticket: { creatorId: ids[0], assigneeIds: [], followerIds: ids.slice(1) } });
      await acceptTicketEvent(d, e);
      const t = performance.now();
      await notifyTicketEvent({ ...d, recheckSeconds: 3600, leaseSeconds: 90 }, e.eventId, { finalAttempt: false });
      if (i >= 50) samples.push(performance.now() - t);
    }
    const p = percentiles(samples);
    out(`worker, ${String(n).padStart(4)} recipients: p50 ${fmt(p.p50, 2)} ms, p99 ${fmt(p.p99, 2)} ms per event`);
  }
}

/** 3. Minified bundle per function (AWS SDK excluded, as deployed) and the time to load it in a fresh Node. */
async function coldStart() {
  out('\n== 3. Cold start: bundle size (minified, without the AWS SDK) and load time in a fresh Node process ==');
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  try {
    const handlers = new Map<string, string>();
    for (const [name, fn] of Object.entries((await startStackConfig()).functions)) handlers.set(name, fn.handler);
    const files = [...new Set([...handlers.values()].map((h) => h.slice(0, h.lastIndexOf('.'))))];
    out('function file                       size KB   load ms (median of 5)');
    for (const file of files) {
      const outfile = join(dir, `${file.replace(/\//g, '_')}.cjs`);
      await build({ entryPoints: [`${file}.ts`], bundle: true, minify: true, platform: 'node', target: 'node20', format: 'cjs', external: ['@aws-sdk/*'], outfile, logLevel: 'silent' });
      const size = statSync(outfile).size / 1024;
      const loads: number[] = [];
      for (let i = 0; i < 5; i++) {
        const ms = execFileSync(process.execPath, ['-e', `const t=performance.now();require(${JSON.stringify(outfile)});process.stdout.write(String(performance.now()-t))`], {
          cwd: process.cwd(),
          env: { ...process.env, NODE_PATH: join(process.cwd(), 'node_modules'), POWERTOOLS_LOG_LEVEL: 'SILENT' },
        }).toString();
        loads.push(Number(ms));
      }
      const load = percentiles(loads).p50;
      out(`${file.padEnd(34)} ${fmt(size, 0).padStart(7)}   ${fmt(load, 0).padStart(7)}   ${mark(size <= 500 && load <= 150)} ≤ 500 KB, ≤ 150 ms`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startStackConfig() {
  const { readServerlessConfig } = await import('./resources.js');
  return readServerlessConfig({ ...process.env, SLS_TELEMETRY_DISABLED: '1' });
}

/** 4. 1000 ticket events with 10 recipients each, through serverless offline, SQS, the worker and DingTalk. */
async function throughput() {
  out('\n== 4. Throughput through the local stack (1000 events × 10 recipients, posted 20 at a time) ==');
  const stack = await startStack({ env: { LOG_LEVEL: 'ERROR' } });
  stopOnSignal(stack);
  try {
    const server = stack.dingtalk!.dingtalk;
    const users = await seedLinkedUsers(stack, 100, 'tp', '92');
    await signedFetch(stack.apiUrl, 'PUT', '/projects/tp/dingtalk', { connected: true, actorId: 'bench' });
    const sendsBefore = server.calls.filter((c) => c.path === SEND).length;
    const started = performance.now();
    let next = 0;
    const ids: string[] = [];
    const post = async () => {
      while (next < 1000) {
        const i = next++;
        const group = Array.from({ length: 10 }, (_, k) => users[(i * 10 + k) % users.length]!);
        const e = statusChanged({
          eventId: `tp-${i}`,
          occurredAt: new Date(Date.UTC(2026, 11, 4, 2, 0, 0) + i * 1000).toISOString(),
          actor: { id: 'bench-actor', name: 'Bench' },
          ticket: { projectId: 'tp', creatorId: group[0], assigneeIds: [], followerIds: group.slice(1) },
        });
        const r = await signedFetch(stack.apiUrl, 'POST', '/ticket-events/status-changed', body(e));
        if (r.status !== 202) throw new Error(`post answered ${r.status}`);
        ids.push(e.eventId);
      }
    };
    await Promise.all(Array.from({ length: 20 }, post));
    const posted = performance.now();
    const okSends = () => server.calls.filter((c) => c.path === SEND && c.errcode === 0).length - sendsBefore;
    while (okSends() < 1000 && performance.now() - started < 600_000) await new Promise((r) => setTimeout(r, 250));
    const drained = performance.now();
    const sends = server.calls.filter((c) => c.path === SEND && c.errcode === 0).slice(sendsBefore);
    const throttled = server.calls.filter((c) => c.path === SEND && c.errcode === 90018).length;
    // Sustained rate while the queue was deep: between the 10th and 90th percentile of sends.
    const a = sends[Math.floor(sends.length * 0.1)]!.at;
    const b = sends[Math.floor(sends.length * 0.9)]!.at;
    const sustained = (Math.floor(sends.length * 0.9) - Math.floor(sends.length * 0.1)) / ((b - a) / 1000);
    out(`posted 1000 events in ${fmt((posted - started) / 1000, 1)} s (${fmt(1000 / ((posted - started) / 1000), 0)} posts/s)`);
    out(`all processed after ${fmt((drained - started) / 1000, 1)} s: ${fmt(1000 / ((drained - started) / 1000), 1)} events/s, ${sends.length} sends`);
    out(`sustained send rate ${fmt(sustained, 1)} calls/s = ${fmt((sustained / 20) * 100, 0)}% of DingTalk's 20/s  ${mark(sustained >= 15 && sustained <= 20)} 75–100%`);
    out(`90018 (too many calls) answers: ${throttled}  ${mark(throttled === 0)} target 0`);
    out(`sends beyond one per event: ${sends.length - 1000}; messages DingTalk dropped as identical: ${server.messages.filter((m) => m.dropped === 'duplicate_content').length}`);
  } finally {
    await stack.stop();
  }
}

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

await main();
