import { startStack } from './local/stack.ts';
import { signedFetch } from './local/signed-fetch.ts';
import { statusChanged, body } from './tests/events.ts';
const lines: string[] = [];
const stack = await startStack({ env: { RETRY_BASE_SECONDS: '0', DINGTALK_RETRY_DELAY_MS: '50', LOG_LEVEL: 'WARN' }, log: (l) => lines.push(l) });
try {
  stack.dingtalk!.dingtalk.directory.push({ mobile: '+84-912000001', userid: 'dt-x' });
  await signedFetch(stack.apiUrl, 'PUT', '/users/x/dingtalk', { phone: '0912000001' });
  await signedFetch(stack.apiUrl, 'PUT', '/projects/p-1/dingtalk', { connected: true, actorId: 'o' });
  stack.dingtalk!.dingtalk.addFault({ path: '/topapi/message/corpconversation/asyncsend_v2', kind: 'errcode', errcode: -1, count: 1000, match: 'dt-x' } as never);
  const e = statusChanged({ eventId: 'evt-dbg', ticket: { creatorId: 'x', assigneeIds: [], followerIds: [] } });
  console.log((await signedFetch(stack.apiUrl, 'POST', '/ticket-events/status-changed', body(e))).status);
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 2000));
    const r = await signedFetch(stack.apiUrl, 'GET', '/ticket-events/evt-dbg');
    console.log(i, r.body.state, stack.dingtalk!.dingtalk.calls.filter((c) => c.path.includes('asyncsend')).length);
    if (r.body.state !== 'queued') break;
  }
} finally {
  await stack.stop();
  console.log(lines.filter((l) => /WARN|ERROR|poller|retried/.test(l)).slice(0, 12).join('\n').slice(0, 4000));
}
