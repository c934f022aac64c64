import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from '../../lib/adapters/rate-limiter.js';

describe('RateLimiter', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('spaces calls so that no second holds more than the rate, with 10% headroom, in the order asked', async () => {
    const limiter = new RateLimiter(10);
    const started: number[] = [];
    const all = Array.from({ length: 12 }, (_, i) => limiter.take().then(() => started.push(Date.now()) && i));
    await vi.advanceTimersByTimeAsync(2000);
    expect(await Promise.all(all)).toEqual([...Array(12).keys()]);
    expect(started).toEqual(Array.from({ length: 12 }, (_, i) => Math.floor(i * 110)));
    for (let i = 10; i < started.length; i++) expect(started[i]! - started[i - 10]!).toBeGreaterThan(1000);
  });

  it('lets a call through at once after a quiet spell', async () => {
    const limiter = new RateLimiter(10);
    await limiter.take();
    await vi.advanceTimersByTimeAsync(5000);
    const before = Date.now();
    await limiter.take();
    expect(Date.now()).toBe(before);
  });
});
