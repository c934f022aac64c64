import { signedFetch } from './signed-fetch.js';
import type { Stack } from './stack.js';

/**
 * Creates `count` users on DingTalk (the local server's directory) and in the service (through the API), so
 * that each is `linked`. `prefix` names them (`<prefix>-u-<i>`); `mobilePrefix` (two digits, e.g. `92`) keeps
 * the phones of different runs apart.
 */
export async function seedLinkedUsers(stack: Stack, count: number, prefix: string, mobilePrefix: string): Promise<string[]> {
  const server = stack.dingtalk!.dingtalk;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const national = `${mobilePrefix}${String(i).padStart(7, '0')}`;
    const userId = `${prefix}-u-${i}`;
    server.directory.push({ mobile: `+84-${national}`, userid: `dt-${userId}` });
    const r = await signedFetch(stack.apiUrl, 'PUT', `/users/${userId}/dingtalk`, { phone: `0${national}` });
    if (r.body?.dingtalk?.status !== 'linked') throw new Error(`seeding ${userId}: ${JSON.stringify(r.body)}`);
    ids.push(userId);
  }
  return ids;
}
