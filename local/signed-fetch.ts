/**
 * Calls the API the way the ticket system must: `X-Signature-Timestamp` and `X-Signature` over
 * `v1:{timestamp}:{METHOD}:{path}:{body}` (contract §1). Used by the tests, `npm run invoke` and the README.
 */
import { sign } from '../lib/http/signature.js';

/** The development secret `serverless.yml` uses on the local stage unless SIGNING_SECRETS overrides it. */
export const LOCAL_SIGNING_SECRET = 'local-dev-signing-secret';

export async function signedFetch(
  baseUrl: string,
  method: string,
  pathWithQuery: string,
  body?: unknown,
  options: { secret?: string; timestamp?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const raw = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(baseUrl + pathWithQuery, {
    method,
    headers: {
      ...(raw ? { 'content-type': 'application/json' } : {}),
      'x-signature-timestamp': String(timestamp),
      'x-signature': sign(options.secret ?? LOCAL_SIGNING_SECRET, timestamp, method, pathWithQuery, raw),
      ...options.headers,
    },
    body: raw || undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}
