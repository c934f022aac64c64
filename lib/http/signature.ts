import { createHmac, timingSafeEqual } from 'node:crypto';

/** A timestamp further than this from the server's clock is refused (replay protection). */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface SignedRequest {
  method: string;
  /**
   * The path relative to the API's base URL, with `?query` appended exactly as sent when there is one. More than
   * one spelling when the gateway may have re-encoded the query; any one of them may verify.
   */
  pathsWithQuery: readonly string[];
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
}

/** `v1=` + hex HMAC-SHA256 of `v1:{timestamp}:{METHOD}:{path}:{body}` (contract §1). */
export function sign(secret: string, timestamp: string | number, method: string, pathWithQuery: string, body: string): string {
  const base = `v1:${timestamp}:${method.toUpperCase()}:${pathWithQuery}:${body}`;
  return `v1=${createHmac('sha256', secret).update(base, 'utf8').digest('hex')}`;
}

/**
 * Checks a request against every active secret (several during a rotation). Answers why it failed, for the
 * log only: the caller is told `unauthorized` and nothing more.
 */
export function verify(request: SignedRequest, secrets: readonly string[], nowSeconds: number): { ok: true } | { ok: false; reason: string } {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) return { ok: false, reason: 'missing signature header' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'stale timestamp' };
  const given = Buffer.from(signature, 'utf8');
  const matches = secrets.some((secret) =>
    request.pathsWithQuery.some((path) => {
      const expected = Buffer.from(sign(secret, timestamp, request.method, path, request.body), 'utf8');
      return expected.length === given.length && timingSafeEqual(expected, given);
    }),
  );
  return matches ? { ok: true } : { ok: false, reason: 'bad signature' };
}
