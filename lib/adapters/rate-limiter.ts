/**
 * Spaces calls at least `1000 / perSecond` ms apart, so no one-second window ever holds more than
 * `perSecond` calls from this process. Callers wait in the order they asked.
 */
export class RateLimiter {
  private next = 0;
  private readonly spacingMs: number;

  constructor(
    perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.spacingMs = 1000 / perSecond;
  }

  async take(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.next);
    this.next = at + this.spacingMs;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }
}
