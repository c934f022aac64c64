import type { DingTalkMessage } from '../core/message.js';
import { DingTalkPermanentError, DingTalkTransientError, type DingTalk, type Log } from '../core/ports.js';
import { RateLimiter } from './rate-limiter.js';

export interface DingTalkClientOptions {
  baseUrl: string;
  appKey: string;
  appSecret: string;
  agentId: number;
  /** Per HTTP call, including reading the body. */
  timeoutMs: number;
  /** DingTalk allows 20 calls a second per app and API; this process stays under `maxCallsPerSecond` per API. */
  maxCallsPerSecond: number;
  /** Extra tries of a call that failed transiently, before the caller is told to try again later. */
  transientRetries: number;
  retryDelayMs: number;
  log: Log;
}

/** Answers that mean the token is bad or expired: fetch a new one and repeat the call once. */
const TOKEN_ERRORS = new Set([40014, 42001, 40001, 33001, 88]);
/** Busy or throttled: wait and try again; the event stays queued if it keeps happening. */
const TRANSIENT_ERRORS = new Set([-1, 90002, 90018, 90005, 90006]);
/** `getbymobile`: no such user (also resigned users), or a mobile DingTalk finds invalid. */
const NO_SUCH_USER = new Set([60121, 40104]);

interface Token {
  value: string;
  expiresAt: number;
  refreshAt: number;
}

/**
 * DingTalk's legacy `oapi` server API, judged by `errcode` (failures usually come back as HTTP 200).
 * One instance per cold start: it caches the access token, refreshes it ahead of expiry with one refresh at
 * a time, and keeps every API under its call rate.
 */
export class DingTalkClient implements DingTalk {
  private token: Token | undefined;
  private refreshing: Promise<Token> | undefined;
  private readonly limiters = new Map<string, RateLimiter>();

  constructor(private readonly options: DingTalkClientOptions) {}

  async findUserIdByMobile(mobile: string): Promise<string | null> {
    const body = await this.call('/topapi/v2/user/getbymobile', { mobile }, NO_SUCH_USER);
    if (NO_SUCH_USER.has(Number(body.errcode))) return null;
    const userid = (body.result as { userid?: unknown } | undefined)?.userid;
    if (typeof userid !== 'string' || !userid) throw new DingTalkPermanentError('getbymobile answered without a userid');
    return userid;
  }

  async sendWorkNotification(dingtalkUserIds: readonly string[], message: DingTalkMessage): Promise<void> {
    if (dingtalkUserIds.length === 0 || dingtalkUserIds.length > 100) throw new DingTalkPermanentError('a send takes 1 to 100 user ids');
    await this.call('/topapi/message/corpconversation/asyncsend_v2', {
      agent_id: this.options.agentId,
      userid_list: dingtalkUserIds.join(','),
      msg: message,
    });
  }

  /** One API call with the token: transient failures are retried a few times, a token error once. */
  private async call(path: string, payload: unknown, accepted: ReadonlySet<number> = new Set()): Promise<Record<string, unknown>> {
    let tokenRetried = false;
    for (let attempt = 0; ; attempt++) {
      let failure: DingTalkTransientError;
      try {
        const token = await this.accessToken();
        const body = await this.request('POST', path, { access_token: token.value }, payload);
        const code = Number(body.errcode ?? 0);
        if (code === 0 || accepted.has(code)) return body;
        if (TOKEN_ERRORS.has(code) && !tokenRetried) {
          tokenRetried = true;
          this.dropToken(token);
          attempt--; // a token refresh is not one of the transient retries
          continue;
        }
        const error = classify(path, code, body.errmsg);
        if (error instanceof DingTalkPermanentError) throw error;
        failure = error;
      } catch (error) {
        if (!(error instanceof DingTalkTransientError)) throw error;
        failure = error;
      }
      if (attempt >= this.options.transientRetries) throw failure;
      this.options.log.warn('DingTalk call failed transiently; retrying', { path, attempt: attempt + 1, error: failure.message });
      await sleep(this.options.retryDelayMs * 2 ** attempt);
    }
  }

  private async accessToken(): Promise<Token> {
    const now = Date.now();
    if (this.token && now < this.token.refreshAt) return this.token;
    this.refreshing ??= this.fetchToken().finally(() => {
      this.refreshing = undefined;
    });
    try {
      return await this.refreshing;
    } catch (error) {
      // A token that is due for refresh but not yet expired still works while DingTalk is unreachable.
      if (this.token && now < this.token.expiresAt) return this.token;
      throw error;
    }
  }

  private async fetchToken(): Promise<Token> {
    const body = await this.request('GET', '/gettoken', { appkey: this.options.appKey, appsecret: this.options.appSecret });
    const code = Number(body.errcode ?? 0);
    if (code !== 0) throw classify('/gettoken', code, body.errmsg);
    const value = body.access_token;
    const expiresIn = Number(body.expires_in ?? 7200);
    if (typeof value !== 'string' || !value) throw new DingTalkPermanentError('gettoken answered without a token');
    const fetchedAt = Date.now();
    // Refresh ahead of expiry: five minutes early, or a tenth of the lifetime for short-lived tokens.
    const margin = Math.min(300, expiresIn / 10) * 1000;
    this.token = { value, expiresAt: fetchedAt + expiresIn * 1000, refreshAt: fetchedAt + expiresIn * 1000 - margin };
    return this.token;
  }

  private dropToken(token: Token): void {
    if (this.token === token) this.token = undefined;
  }

  private async request(method: 'GET' | 'POST', path: string, query: Record<string, string>, payload?: unknown): Promise<Record<string, unknown>> {
    await this.limiter(path).take();
    const url = new URL(this.options.baseUrl.replace(/\/$/, '') + path);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    let response: Response;
    let text: string;
    try {
      const signal = AbortSignal.timeout(this.options.timeoutMs);
      response = await fetch(url, {
        method,
        signal,
        headers: payload === undefined ? {} : { 'content-type': 'application/json' },
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
      text = await response.text();
    } catch (error) {
      const reason = error instanceof Error && error.name === 'TimeoutError' ? `timed out after ${this.options.timeoutMs} ms` : 'network error';
      throw new DingTalkTransientError(`${path}: ${reason}`);
    }
    if (response.status === 429 || response.status >= 500) throw new DingTalkTransientError(`${path}: HTTP ${response.status}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new DingTalkTransientError(`${path}: HTTP ${response.status} with a body that is not JSON`);
    }
    if (typeof body !== 'object' || body === null) throw new DingTalkTransientError(`${path}: unexpected body`);
    // The per-IP ban answers `{"status":1111,...}` instead of an errcode: wait it out.
    if ('status' in body && Number((body as { status: unknown }).status) === 1111) throw new DingTalkTransientError(`${path}: IP temporarily banned`);
    if (response.status >= 400) throw new DingTalkPermanentError(`${path}: HTTP ${response.status}`);
    return body as Record<string, unknown>;
  }

  private limiter(path: string): RateLimiter {
    let limiter = this.limiters.get(path);
    if (!limiter) {
      limiter = new RateLimiter(this.options.maxCallsPerSecond);
      this.limiters.set(path, limiter);
    }
    return limiter;
  }
}

function classify(path: string, code: number, errmsg: unknown): DingTalkTransientError | DingTalkPermanentError {
  const message = `${path}: errcode ${code} (${String(errmsg ?? '')})`;
  return TRANSIENT_ERRORS.has(code) ? new DingTalkTransientError(message) : new DingTalkPermanentError(message);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
