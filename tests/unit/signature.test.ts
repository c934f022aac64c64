import { describe, expect, it } from 'vitest';
import { sign, verify } from '../../lib/http/signature.js';

const NOW = 1764842400;
const request = (overrides: Partial<Parameters<typeof verify>[0]> = {}) => ({
  method: 'PUT',
  pathsWithQuery: ['/users/u-1/dingtalk'],
  body: '{"phone":"0912345678"}',
  timestamp: String(NOW),
  signature: sign('s3cret', NOW, 'PUT', '/users/u-1/dingtalk', '{"phone":"0912345678"}'),
  ...overrides,
});

describe('request signatures', () => {
  it('signs the contract example base string', () => {
    // HMAC-SHA256 of `v1:1764842400:PUT:/users/u-1/dingtalk:{"phone":"0912345678"}` keyed `s3cret`.
    expect(sign('s3cret', NOW, 'PUT', '/users/u-1/dingtalk', '{"phone":"0912345678"}')).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(sign('s3cret', NOW, 'put', '/users/u-1/dingtalk', '{"phone":"0912345678"}')).toBe(request().signature);
  });

  it('accepts a good signature, with any active secret (rotation)', () => {
    expect(verify(request(), ['s3cret'], NOW)).toEqual({ ok: true });
    expect(verify(request(), ['new-secret', 's3cret'], NOW)).toEqual({ ok: true });
  });

  it.each([
    ['missing headers', request({ signature: undefined }), 'missing signature header'],
    ['a malformed timestamp', request({ timestamp: 'yesterday' }), 'malformed timestamp'],
    ['a stale timestamp', request({ timestamp: String(NOW - 301) }), 'stale timestamp'],
    ['a timestamp from the future', request({ timestamp: String(NOW + 301) }), 'stale timestamp'],
    ['a tampered body', request({ body: '{"phone":"0999999999"}' }), 'bad signature'],
    ['another path', request({ pathsWithQuery: ['/users/u-2/dingtalk'] }), 'bad signature'],
    ['another method', request({ method: 'DELETE' }), 'bad signature'],
    ['a retired secret', request(), 'bad signature', ['other']],
    ['a truncated signature', request({ signature: 'v1=abc' }), 'bad signature'],
  ])('refuses %s', (_name, req, reason, secrets = ['s3cret']) => {
    expect(verify(req, secrets as string[], NOW)).toEqual({ ok: false, reason });
  });

  it('accepts a timestamp within 300 seconds either way', () => {
    const signed = (ts: number) => request({ timestamp: String(ts), signature: sign('s3cret', ts, 'PUT', '/users/u-1/dingtalk', '{"phone":"0912345678"}') });
    expect(verify(signed(NOW - 300), ['s3cret'], NOW).ok).toBe(true);
    expect(verify(signed(NOW + 300), ['s3cret'], NOW).ok).toBe(true);
  });
});
