/** What the end-to-end tests need to drive the local stack: signed calls, the local DingTalk server, waiting. */
import { randomInt, randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { signedFetch } from '../../local/signed-fetch.js';

export const apiUrl = () => inject('apiUrl');
export const dingtalkUrl = () => inject('dingtalkUrl');

export const api = (method: string, path: string, body?: unknown, options?: Parameters<typeof signedFetch>[4]) =>
  signedFetch(apiUrl(), method, path, body, options);

/** Ids unique to one test run, so test files can share the stack. */
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A fresh Vietnamese mobile: the national form a person types, and DingTalk's form of it. */
export function newPhone() {
  const national = `91${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
  return { typed: `0${national}`, e164: `+84${national}`, dingtalk: `+84-${national}` };
}

export async function registerOnDingTalk(mobile: string, userid: string) {
  await fetch(`${dingtalkUrl()}/_local/directory`, { method: 'POST', body: JSON.stringify({ users: [{ mobile, userid }] }) });
}

export interface ReceivedMessage {
  taskId: number;
  userid: string;
  msg: { msgtype: string; action_card?: { title: string; markdown: string; single_url: string }; text?: { content: string } };
  dropped: string | null;
}

export async function messagesFor(userid: string): Promise<ReceivedMessage[]> {
  const response = await fetch(`${dingtalkUrl()}/_local/messages?userid=${encodeURIComponent(userid)}`);
  return ((await response.json()) as { messages: ReceivedMessage[] }).messages;
}

export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until the worker has processed (or given up on) an event, and answers its report. */
export async function report(eventId: string) {
  const answer = await waitFor(
    () => api('GET', `/ticket-events/${eventId}`),
    (r) => r.status === 200 && r.body.state !== 'queued',
  );
  return answer.body as { state: string; recipients: { userId: string; roles: string[]; outcome: string }[] };
}
