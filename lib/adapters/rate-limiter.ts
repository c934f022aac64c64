/**
 * Spaces calls evenly so that no one-second window holds more than `perSecond` of them, even as seen by the
 * server: DingTalk counts calls when they arrive, and network jitter can bunch calls that left evenly spaced,
 * so the spacing keeps 10% headroom. Callers wait in the order they asked.
 */
export class RateLimiter {
  private next = 0;
  private readonly spacingMs: number;

  constructor(
    perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.spacingMs = 1100 / perSecond;
  }

  async take(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.next);
    this.next = at + this.spacingMs;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}
