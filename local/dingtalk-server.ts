/**
 * A local DingTalk server: the three legacy `oapi` calls the service uses, answering the way DingTalk documents
 * them (HTTP 200 with `errcode`, expiring tokens, `60121` for unknown mobiles, the 100-id and 2048-byte limits,
 * the silent drop of identical content to the same person on the same day, `90018` above the call rate).
 * It records every call and message so tests and people can see what DingTalk would have received.
 *
 * Run alone: `npx tsx local/dingtalk-server.ts` (port from DINGTALK_PORT, default 3010). `npm start` runs it too.
 * Inspection and knobs live under `/_local/` (see `handleLocal`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export interface DirectoryEntry {
  mobile: string;
  userid: string;
  name?: string;
}

export interface DingTalkServerSettings {
  appKey: string;
  appSecret: string;
  agentId: number;
  tokenTtlSeconds: number;
  /** DingTalk allows 20 calls a second per app and API. */
  maxCallsPerSecond: number;
  /** A person sees at most this many messages from one app a day; the rest are dropped silently. */
  dailyLimitPerUser: number;
  /** Random failures, as fractions of calls to the message and user APIs (not `/gettoken`). */
  failureRates: { busy: number; http500: number; hang: number };
}

export interface ReceivedMessage {
  taskId: number;
  agentId: number;
  userid: string;
  msg: unknown;
  receivedAt: string;
  /** Why DingTalk would have dropped it silently; `null` when the person sees it. */
  dropped: null | 'duplicate_content' | 'daily_limit' | 'unknown_user';
}

interface Fault {
  path: string;
  /** Only calls whose body contains this text (a user id, a mobile) fail. */
  match?: string;
  kind: 'errcode' | 'http' | 'hang';
  errcode?: number;
  status?: number;
  remaining: number;
}

const DEFAULT_SETTINGS: DingTalkServerSettings = {
  appKey: 'local-app-key',
  appSecret: 'local-app-secret',
  agentId: 1000001,
  tokenTtlSeconds: 7200,
  maxCallsPerSecond: 20,
  dailyLimitPerUser: 500,
  failureRates: { busy: 0, http500: 0, hang: 0 },
};

const SEND_PATH = '/topapi/message/corpconversation/asyncsend_v2';
const USER_PATH = '/topapi/v2/user/getbymobile';
const MSG_TYPES = new Set(['text', 'markdown', 'action_card', 'oa', 'link', 'image', 'file', 'voice']);

export class LocalDingTalk {
  settings: DingTalkServerSettings;
  directory: DirectoryEntry[];
  readonly messages: ReceivedMessage[] = [];
  readonly calls: { path: string; at: number; errcode: number | null; status: number }[] = [];
  private tokens = new Map<string, number>();
  private faults: Fault[] = [];
  private recent = new Map<string, number[]>();
  private seenContent = new Set<string>();
  private dailyCount = new Map<string, number>();
  private nextTaskId = 1;

  constructor(settings: Partial<DingTalkServerSettings> = {}, directory: DirectoryEntry[] = []) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
    this.directory = directory;
  }

  reset(): void {
    this.messages.length = 0;
    this.calls.length = 0;
    this.tokens.clear();
    this.faults = [];
    this.recent.clear();
    this.seenContent.clear();
    this.dailyCount.clear();
  }

  /** Answers one API call: `{ status, body }`, or `hang` to never answer. */
  handleApi(method: string, path: string, query: URLSearchParams, body: unknown): { status: number; body: unknown } | 'hang' {
    const fault = this.takeFault(path, JSON.stringify(body ?? ''));
    if (fault) return fault;
    if (path === '/gettoken' && method === 'GET') return this.ok(this.getToken(query));
    if (path !== USER_PATH && path !== SEND_PATH) return { status: 404, body: { errcode: 404, errmsg: 'not found' } };
    if (method !== 'POST') return { status: 405, body: { errcode: 405, errmsg: 'method not allowed' } };
    if (this.overRate(path)) return this.ok({ errcode: 90018, errmsg: 'too many calls per second for this app and API' });
    const random = this.randomFailure();
    if (random) return random;
    const tokenError = this.checkToken(query.get('access_token'));
    if (tokenError) return this.ok(tokenError);
    if (typeof body !== 'object' || body === null) return this.ok({ errcode: 40035, errmsg: 'invalid parameter: body' });
    return this.ok(path === USER_PATH ? this.getByMobile(body as Record<string, unknown>) : this.send(body as Record<string, unknown>));
  }

  private ok(body: Record<string, unknown>) {
    return { status: 200, body: { request_id: randomBytes(8).toString('hex'), ...body } };
  }

  private getToken(query: URLSearchParams) {
    if (query.get('appkey') !== this.settings.appKey || query.get('appsecret') !== this.settings.appSecret) {
      return { errcode: 40089, errmsg: 'invalid appkey or appsecret' };
    }
    const now = Date.now();
    const expiresAt = now + this.settings.tokenTtlSeconds * 1000;
    // While a token is valid DingTalk answers the same token and extends it.
    const live = [...this.tokens].find(([, until]) => until > now);
    const token = live ? live[0] : randomBytes(16).toString('hex');
    this.tokens.set(token, expiresAt);
    return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: this.settings.tokenTtlSeconds };
  }

  /** Makes every token expire now (tests of expiry mid-run). */
  expireTokens(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }

  private checkToken(token: string | null) {
    if (!token) return { errcode: 40014, errmsg: 'missing access_token' };
    const until = this.tokens.get(token);
    if (until === undefined) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (until <= Date.now()) return { errcode: 42001, errmsg: 'access_token expired' };
    return undefined;
  }

  private getByMobile(body: Record<string, unknown>) {
    const mobile = body.mobile;
    if (typeof mobile !== 'string' || !/^(1\d{10}|\+\d{1,3}-\d{4,14})$/.test(mobile)) return { errcode: 40104, errmsg: 'invalid mobile' };
    const user = this.directory.find((u) => u.mobile === mobile);
    if (!user) return { errcode: 60121, errmsg: 'user not found' };
    return { errcode: 0, errmsg: 'ok', result: { userid: user.userid } };
  }

  private send(body: Record<string, unknown>) {
    if (Number(body.agent_id) !== this.settings.agentId) return { errcode: 40056, errmsg: 'invalid agent_id' };
    if (typeof body.userid_list !== 'string' || body.userid_list.trim() === '') return { errcode: 40031, errmsg: 'invalid userid_list' };
    const userids = body.userid_list.split(',');
    if (userids.length > 100) return { errcode: 40032, errmsg: 'userid_list longer than 100' };
    const msg = body.msg as Record<string, unknown> | undefined;
    if (!msg || typeof msg !== 'object' || typeof msg.msgtype !== 'string' || !MSG_TYPES.has(msg.msgtype)) return { errcode: 40008, errmsg: 'invalid msgtype' };
    const content = JSON.stringify(msg);
    if (Buffer.byteLength(content, 'utf8') > 2048) return { errcode: 34016, errmsg: 'msg longer than 2048 bytes' };
    const invalid = this.invalidParameter(msg);
    if (invalid) return { errcode: 40035, errmsg: `invalid parameter: ${invalid}` };
    const taskId = this.nextTaskId++;
    const now = new Date();
    // DingTalk's day is China's (UTC+8).
    const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    const digest = createHash('sha256').update(content).digest('hex');
    for (const userid of userids) {
      const known = this.directory.some((u) => u.userid === userid);
      const contentKey = `${userid}|${day}|${digest}`;
      const countKey = `${userid}|${day}`;
      const count = this.dailyCount.get(countKey) ?? 0;
      let dropped: ReceivedMessage['dropped'] = null;
      if (!known) dropped = 'unknown_user';
      else if (this.seenContent.has(contentKey)) dropped = 'duplicate_content';
      else if (count >= this.settings.dailyLimitPerUser) dropped = 'daily_limit';
      if (!dropped) {
        this.seenContent.add(contentKey);
        this.dailyCount.set(countKey, count + 1);
      }
      this.messages.push({ taskId, agentId: this.settings.agentId, userid, msg, receivedAt: now.toISOString(), dropped });
    }
    return { errcode: 0, errmsg: 'ok', task_id: taskId };
  }

  private invalidParameter(msg: Record<string, unknown>): string | undefined {
    if (msg.msgtype === 'action_card') {
      const card = msg.action_card as Record<string, unknown> | undefined;
      if (!card || typeof card.title !== 'string' || typeof card.markdown !== 'string') return 'action_card.title/markdown';
      if (card.single_title !== undefined && (typeof card.single_title !== 'string' || card.single_title.length > 20)) return 'action_card.single_title';
      if (card.single_url !== undefined && (typeof card.single_url !== 'string' || card.single_url.length > 500)) return 'action_card.single_url';
    }
    if (msg.msgtype === 'text') {
      const text = msg.text as Record<string, unknown> | undefined;
      if (!text || typeof text.content !== 'string') return 'text.content';
    }
    return undefined;
  }

  private overRate(path: string): boolean {
    const now = Date.now();
    const times = (this.recent.get(path) ?? []).filter((t) => t > now - 1000);
    times.push(now);
    this.recent.set(path, times);
    return times.length > this.settings.maxCallsPerSecond;
  }

  private randomFailure(): { status: number; body: unknown } | 'hang' | undefined {
    const { busy, http500, hang } = this.settings.failureRates;
    const roll = Math.random();
    if (roll < busy) return this.ok({ errcode: -1, errmsg: 'system busy' });
    if (roll < busy + http500) return { status: 500, body: { errcode: -1, errmsg: 'internal error' } };
    if (roll < busy + http500 + hang) return 'hang';
    return undefined;
  }

  addFault(fault: Omit<Fault, 'remaining'> & { count?: number }): void {
    this.faults.push({ ...fault, remaining: fault.count ?? 1 });
  }

  private takeFault(path: string, body: string): { status: number; body: unknown } | 'hang' | undefined {
    const fault = this.faults.find((f) => f.path === path && f.remaining > 0 && (!f.match || body.includes(f.match)));
    if (!fault) return undefined;
    fault.remaining--;
    if (fault.kind === 'hang') return 'hang';
    if (fault.kind === 'http') return { status: fault.status ?? 500, body: { errcode: -1, errmsg: 'injected HTTP failure' } };
    return this.ok({ errcode: fault.errcode ?? -1, errmsg: 'injected failure' });
  }
}

export interface RunningDingTalkServer {
  url: string;
  dingtalk: LocalDingTalk;
  close(): Promise<void>;
}

export async function startDingTalkServer(options: { port?: number; settings?: Partial<DingTalkServerSettings>; directory?: DirectoryEntry[] } = {}): Promise<RunningDingTalkServer> {
  const dingtalk = new LocalDingTalk(options.settings, options.directory ?? loadDirectory());
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    void handle(dingtalk, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { errcode: -1, errmsg: 'local server error' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dingtalk,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function loadDirectory(file = new URL('./dingtalk-users.json', import.meta.url)): DirectoryEntry[] {
  return (JSON.parse(readFileSync(file, 'utf8')) as { users: DirectoryEntry[] }).users;
}

async function handle(dingtalk: LocalDingTalk, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const raw = await readBody(req);
  let body: unknown;
  try {
    body = raw ? JSON.parse(raw) : undefined;
  } catch {
    body = undefined;
  }
  if (url.pathname === '/' && req.method === 'GET') {
    res.writeHead(302, { location: '/_local/inbox' });
    res.end();
    return;
  }
  if (url.pathname.startsWith('/_local/')) return handleLocal(dingtalk, req.method ?? 'GET', url, body, res);
  const answer = dingtalk.handleApi(req.method ?? 'GET', url.pathname, url.searchParams, body);
  if (answer === 'hang') {
    dingtalk.calls.push({ path: url.pathname, at: Date.now(), errcode: null, status: 0 });
    return; // never answers; the socket is destroyed when the server closes
  }
  const errcode = (answer.body as { errcode?: number }).errcode ?? null;
  dingtalk.calls.push({ path: url.pathname, at: Date.now(), errcode, status: answer.status });
  send(res, answer.status, answer.body);
}

/**
 * `GET /_local/inbox` (the page people look at), `GET /_local/messages[?userid=]`, `GET /_local/calls`, `POST /_local/reset`, `PUT /_local/directory`
 * `{users}` (replace) and `POST /_local/directory` `{users}` (add), `PATCH /_local/settings` (any of DingTalkServerSettings), `POST /_local/faults`
 * `{path, kind: errcode|http|hang, errcode?, status?, count?, match?}`, `POST /_local/expire-tokens`.
 */
function handleLocal(dingtalk: LocalDingTalk, method: string, url: URL, body: unknown, res: ServerResponse): void {
  const route = `${method} ${url.pathname}`;
  const input = (body ?? {}) as Record<string, unknown>;
  switch (route) {
    case 'GET /_local/inbox':
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(readFileSync(new URL('./inbox.html', import.meta.url)));
      return;
    case 'GET /_local/messages': {
      const userid = url.searchParams.get('userid');
      return send(res, 200, { messages: dingtalk.messages.filter((m) => !userid || m.userid === userid) });
    }
    case 'GET /_local/calls':
      return send(res, 200, { calls: dingtalk.calls });
    case 'POST /_local/reset':
      dingtalk.reset();
      return send(res, 200, { reset: true });
    case 'GET /_local/directory':
      return send(res, 200, { users: dingtalk.directory });
    case 'PUT /_local/directory':
      dingtalk.directory = (input.users as DirectoryEntry[]) ?? [];
      return send(res, 200, { users: dingtalk.directory });
    case 'POST /_local/directory':
      dingtalk.directory.push(...((input.users as DirectoryEntry[]) ?? []));
      return send(res, 200, { users: dingtalk.directory.length });
    case 'PATCH /_local/settings':
      dingtalk.settings = { ...dingtalk.settings, ...(input as Partial<DingTalkServerSettings>) };
      return send(res, 200, { settings: dingtalk.settings });
    case 'POST /_local/faults':
      dingtalk.addFault(input as unknown as Fault);
      return send(res, 200, { added: true });
    case 'POST /_local/expire-tokens':
      dingtalk.expireTokens();
      return send(res, 200, { expired: true });
    default:
      return send(res, 404, { error: 'no such local route' });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await startDingTalkServer({ port: Number(process.env.DINGTALK_PORT ?? 3010) });
  console.log(`local DingTalk server on ${server.url}`);
}
