/**
 * `npm run demo`, against a running `npm start`: a short story of one team's tickets. It seeds Vietnamese users on
 * the local DingTalk server, sets their phones (one not on DingTalk), connects one project and not the other,
 * plays ticket changes, and prints where to look: the inbox page and each event's report.
 *
 * Options (environment): API_URL (http://localhost:3000), DINGTALK_URL (http://127.0.0.1:3010), SIGNING_SECRETS.
 */
import type { TicketEventType } from '../lib/core/ticket-event.js';
import { LOCAL_SIGNING_SECRET, signedFetch } from './signed-fetch.js';

const API = process.env.API_URL ?? 'http://localhost:3000';
const DINGTALK = process.env.DINGTALK_URL ?? 'http://127.0.0.1:3010';
const SECRET = (process.env.SIGNING_SECRETS ?? LOCAL_SIGNING_SECRET).split(',')[0]!.trim();
const run = Date.now().toString(36);
const call = (method: string, path: string, body?: unknown) => signedFetch(API, method, path, body, { secret: SECRET });

const people = {
  an: { id: 'demo-an', name: 'Nguyễn Văn An', phone: '0901 234 501', dingtalk: 'nguyenvanan', locale: 'vi' },
  binh: { id: 'demo-binh', name: 'Trần Thị Bình', phone: '0901 234 502', dingtalk: 'tranthibinh', locale: 'vi' },
  chau: { id: 'demo-chau', name: 'Lê Minh Châu', phone: '0901 234 503', dingtalk: 'leminhchau', locale: 'vi' },
  dung: { id: 'demo-dung', name: 'Phạm Quốc Dũng', phone: '0901 234 504', dingtalk: 'phamquocdung', locale: 'en' },
  ha: { id: 'demo-ha', name: 'Hoàng Thu Hà', phone: '0901 234 505', dingtalk: null, locale: 'vi' },
} as const;

const PORTAL = { projectId: 'demo-portal', projectName: 'Cổng khách hàng' };
const WAREHOUSE = { projectId: 'demo-warehouse', projectName: 'Kho nội bộ' };
let clock = Date.UTC(2026, 11, 4, 2, 15, 0);
const played: { eventId: string; what: string }[] = [];

async function main() {
  await check();
  const directory = Object.values(people)
    .filter((p) => p.dingtalk)
    .map((p) => ({ mobile: `+84-${p.phone.replace(/\s/g, '').slice(1)}`, userid: p.dingtalk!, name: p.name }));
  await fetch(`${DINGTALK}/_local/directory`, { method: 'POST', body: JSON.stringify({ users: directory }) });

  console.log('Phones (seed step 1):');
  for (const p of Object.values(people)) {
    const r = await call('PUT', `/users/${p.id}/dingtalk`, { phone: p.phone, locale: p.locale });
    console.log(`  ${p.name.padEnd(16)} ${r.body.phone}  DingTalk: ${r.body.dingtalk.status}`);
  }
  console.log('Projects (seed step 2):');
  await call('PUT', `/projects/${PORTAL.projectId}/dingtalk`, { connected: true, actorId: people.an.id });
  await call('PUT', `/projects/${WAREHOUSE.projectId}/dingtalk`, { connected: false, actorId: people.an.id });
  console.log(`  ${PORTAL.projectName}: connected · ${WAREHOUSE.projectName}: not connected`);

  const ticket12 = {
    id: 'demo-t-12',
    key: 'CKH-12',
    title: 'Không đăng nhập được bằng Safari',
    url: 'https://tickets.example.com/ckh/12',
    ...PORTAL,
    creatorId: people.an.id,
    assigneeIds: [people.binh.id],
    followerIds: [people.chau.id, people.ha.id],
  };
  console.log('Ticket changes (seed step 3):');
  await post('comment-added', 'Bình comments on CKH-12', people.binh, ticket12, {
    comment: { id: `c-${run}`, body: 'Em đã tái hiện được lỗi trên Safari 17: cookie phiên bị chặn. Đang sửa.', mentionedIds: [people.dung.id] },
  });
  const ticket12b = { ...ticket12, assigneeIds: [people.dung.id] };
  await post('assignees-changed', 'An hands CKH-12 from Bình to Dũng', people.an, ticket12b, {
    assignees: { added: [{ id: people.dung.id, name: people.dung.name }], removed: [{ id: people.binh.id, name: people.binh.name }] },
  });
  await post('status-changed', 'Dũng starts work on CKH-12', people.dung, ticket12b, { status: { from: 'Mới', to: 'Đang xử lý' } });
  const done = await post('status-changed', 'Dũng finishes CKH-12', people.dung, ticket12b, { status: { from: 'Đang xử lý', to: 'Đã xong' } });
  // The ticket system posts the same change again under a new event id: identical content, dropped by DingTalk.
  await post('status-changed', 'the same change re-posted under another id', people.dung, ticket12b, { status: { from: 'Đang xử lý', to: 'Đã xong' } }, done.occurredAt);
  const ticket15 = { ...ticket12, id: 'demo-t-15', key: 'CKH-15', title: 'Thêm xuất hoá đơn PDF', url: 'https://tickets.example.com/ckh/15', assigneeIds: [people.an.id], followerIds: [people.chau.id] };
  await post('status-changed', 'An moves his own ticket CKH-15 (An is told nothing)', people.an, ticket15, { status: { from: 'Mới', to: 'Đang xử lý' } });
  const ticket3 = { ...ticket12, ...WAREHOUSE, id: 'demo-t-3', key: 'KHO-3', title: 'Sai số lượng tồn kho', url: 'https://tickets.example.com/kho/3' };
  await post('comment-added', 'Bình comments on KHO-3 (project not connected)', people.binh, ticket3, { comment: { id: `c3-${run}`, body: 'Đã kiểm kê lại.' } });

  await new Promise((resolve) => setTimeout(resolve, 3000));
  console.log('\nWhy each person was or was not notified (GET /ticket-events/{id}):');
  for (const { eventId, what } of played) {
    const r = await call('GET', `/ticket-events/${eventId}`);
    const outcomes = (r.body.recipients ?? []).map((x: { userId: string; outcome: string }) => `${x.userId.replace('demo-', '')}=${x.outcome}`).join(', ');
    console.log(`  ${API}/ticket-events/${eventId}\n    ${what} [${r.body.state}]: ${outcomes}`);
  }
  console.log(`\nLook at the phones: ${DINGTALK}/_local/inbox`);
}

async function post(type: TicketEventType, what: string, actor: { id: string; name: string }, ticket: object, change: object, occurredAt?: string) {
  clock += 60_000;
  const event = { eventId: `demo-${run}-${played.length + 1}`, occurredAt: occurredAt ?? new Date(clock).toISOString(), actor: { id: actor.id, name: actor.name }, ticket, ...change };
  const r = await call('POST', `/ticket-events/${type}`, event);
  if (r.status !== 202) throw new Error(`${type} answered ${r.status}: ${JSON.stringify(r.body)}`);
  played.push({ eventId: event.eventId, what });
  console.log(`  ${what}`);
  await new Promise((resolve) => setTimeout(resolve, 700));
  return event;
}

async function check() {
  const ok = await fetch(`${API}/health`).then((r) => r.ok).catch(() => false);
  const dingtalk = await fetch(`${DINGTALK}/_local/directory`).then((r) => r.ok).catch(() => false);
  if (!ok || !dingtalk) {
    console.error(`The local stack is not answering (${API}, ${DINGTALK}): run \`npm start\` in another terminal first.`);
    process.exit(1);
  }
}

await main();
