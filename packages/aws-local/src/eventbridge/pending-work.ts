/** Counts work in flight (routing, deliveries, scheduled retries) so callers can wait until none is left. */
export class PendingWork {
  private count = 0;
  private waiters: (() => void)[] = [];

  /** Marks one unit of work as started; call the returned function exactly once when it ends. */
  begin(): () => void {
    this.count += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.count -= 1;
      if (this.count === 0) this.releaseWaiters();
    };
  }

  get size(): number {
    return this.count;
  }

  /** Resolves once no work is in flight (at once if none is). */
  whenIdle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private releaseWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
