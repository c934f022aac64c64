import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DingTalkClient, type DingTalkClientOptions } from '../../lib/adapters/dingtalk-client.js';
import { buildTicketMessage, type DingTalkMessage } from '../../lib/core/message.js';
import { DingTalkPermanentError, DingTalkTransientError } from '../../lib/core/ports.js';
import { startDingTalkServer, type RunningDingTalkServer } from '../../local/dingtalk-server.js';
import { statusChanged } from '../events.js';
import { silentLog } from '../fakes.js';

let server: RunningDingTalkServer;
const text = (content: string): DingTalkMessage => ({ msgtype: 'text', text: { content } });

function client(options: Partial<DingTalkClientOptions> = {}) {
  return new DingTalkClient({
    baseUrl: server.url,
    appKey: 'local-app-key',
    appSecret: 'local-app-secret',
    agentId: 1000001,
    timeoutMs: 500,
    maxCallsPerSecond: 20,
    transientRetries: 2,
    retryDelayMs: 10,
    log: silentLog,
    ...options,
  });
}
const calls = (path: string) => server.dingtalk.calls.filter((c) => c.path === path);

beforeEach(async () => {
  server = await startDingTalkServer({
    directory: [
      { mobile: '+84-912345678', userid: 'nguyenvana' },
      { mobile: '13800138000', userid: 'zhangsan' },
    ],
  });
});
afterEach(() => server.close());

describe('DingTalkClient against the local DingTalk server', () => {
  it('finds users by mobile, and answers null for 60121 and 40104', async () => {
    const c = client();
    expect(await c.findUserIdByMobile('+84-912345678')).toBe('nguyenvana');
    expect(await c.findUserIdByMobile('13800138000')).toBe('zhangsan');
    expect(await c.findUserIdByMobile('+84-911111111')).toBeNull();
    expect(await c.findUserIdByMobile('0912345678')).toBeNull();
    expect(calls('/topapi/v2/user/getbymobile').map((x) => x.errcode)).toEqual([0, 0, 60121, 40104]);
  });

  it('fetches one token for many calls, and one refresh at a time', async () => {
    const c = client({ maxCallsPerSecond: 20 });
    await Promise.all(Array.from({ length: 15 }, () => c.findUserIdByMobile('+84-912345678')));
    expect(calls('/gettoken')).toHaveLength(1);
  });

  it('sends a work notification the way DingTalk documents it', async () => {
    await client().sendWorkNotification(['nguyenvana', 'zhangsan'], buildTicketMessage(statusChanged(), 'vi'));
    expect(server.dingtalk.messages.map((m) => [m.userid, m.dropped])).toEqual([
      ['nguyenvana', null],
      ['zhangsan', null],
    ]);
  });

  it('gets a new token and retries once when the token expired mid-run', async () => {
    const c = client();
    await c.sendWorkNotification(['nguyenvana'], text('one'));
    server.dingtalk.expireTokens();
    await c.sendWorkNotification(['nguyenvana'], text('two'));
    expect(calls('/gettoken')).toHaveLength(2);
    expect(calls('/topapi/message/corpconversation/asyncsend_v2').map((x) => x.errcode)).toEqual([0, 42001, 0]);
    expect(server.dingtalk.messages).toHaveLength(2);
  });

  it('refreshes a short-lived token ahead of its expiry', async () => {
    server.dingtalk.settings.tokenTtlSeconds = 1;
    const c = client();
    await c.sendWorkNotification(['nguyenvana'], text('one'));
    await new Promise((r) => setTimeout(r, 1000));
    await c.sendWorkNotification(['nguyenvana'], text('two'));
    expect(calls('/topapi/message/corpconversation/asyncsend_v2').map((x) => x.errcode)).toEqual([0, 0]);
    expect(calls('/gettoken')).toHaveLength(2);
  });

  it.each([
    ['-1 system busy', { kind: 'errcode', errcode: -1 }],
    ['90018 too many calls', { kind: 'errcode', errcode: 90018 }],
    ['HTTP 500', { kind: 'http', status: 500 }],
    ['a hanging socket', { kind: 'hang' }],
  ] as const)('retries %s and succeeds when it passes', async (_name, fault) => {
    server.dingtalk.addFault({ path: '/topapi/message/corpconversation/asyncsend_v2', ...fault, count: 2 });
    await client().sendWorkNotification(['nguyenvana'], text('hello'));
    expect(server.dingtalk.messages).toHaveLength(1);
  });

  it.each([
    ['-1 system busy', { kind: 'errcode', errcode: -1 }],
    ['HTTP 500', { kind: 'http', status: 503 }],
    ['a hanging socket', { kind: 'hang' }],
  ] as const)('gives up with a transient error when %s persists (the event stays queued)', async (_name, fault) => {
    server.dingtalk.addFault({ path: '/topapi/message/corpconversation/asyncsend_v2', ...fault, count: 3 });
    await expect(client().sendWorkNotification(['nguyenvana'], text('hello'))).rejects.toThrow(DingTalkTransientError);
    expect(server.dingtalk.messages).toHaveLength(0);
  });

  it('gives up with a transient error when DingTalk cannot be reached at all', async () => {
    await server.close();
    await expect(client().findUserIdByMobile('+84-912345678')).rejects.toThrow(DingTalkTransientError);
  });

  it.each([
    ['a wrong agent id (40056)', { agentId: 42 }, /40056/],
    ['a wrong app secret (40089)', { appSecret: 'wrong' }, /40089/],
  ])('fails for good on %s', async (_name, options, pattern) => {
    const error = await client(options).sendWorkNotification(['nguyenvana'], text('x')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingTalkPermanentError);
    expect(String(error)).toMatch(pattern);
  });

  it('is refused (34016) for a message over 2048 bytes', async () => {
    const error = await client().sendWorkNotification(['nguyenvana'], text('ệ'.repeat(700))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DingTalkPermanentError);
    expect(String(error)).toMatch(/34016/);
  });

  it('stays under 20 calls a second per API: no 90018 when 45 calls are made at once', async () => {
    const c = client({ maxCallsPerSecond: 20 });
    await Promise.all(Array.from({ length: 45 }, (_, i) => c.sendWorkNotification(['nguyenvana'], text(`m${i}`))));
    const sends = calls('/topapi/message/corpconversation/asyncsend_v2');
    expect(sends.filter((x) => x.errcode === 90018)).toHaveLength(0);
    expect(sends).toHaveLength(45);
  });

  it('leaves identical content to DingTalk, which drops it silently the same day', async () => {
    const c = client();
    const message = buildTicketMessage(statusChanged(), 'vi');
    await c.sendWorkNotification(['nguyenvana'], message);
    await c.sendWorkNotification(['nguyenvana'], message);
    expect(server.dingtalk.messages.map((m) => m.dropped)).toEqual([null, 'duplicate_content']);
  });
});
