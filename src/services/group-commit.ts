/**
 * Group commit (DESIGN.md §3.5; docs/PERFORMANCE.md): writes that arrive while others are in flight
 * are written together, one transaction per group, instead of one commit each. The first item waits
 * for the rest of the current event-loop turn; items arriving meanwhile form the next group. Each
 * caller's promise settles only when its own group has committed, with what the write answered for
 * its item (e.g. whether its challenge held). A failed group is retried one item per write, so one
 * bad item cannot fail the others.
 */
interface Queued<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T, R = void> {
  private queued: Queued<T, R>[] = [];
  private running = false;

  /** `write` writes its items in one transaction, answering one result per item in order (or nothing); at most `maxGroup` at a time. */
  constructor(
    private readonly write: (items: readonly T[]) => Promise<readonly R[]> | Promise<void>,
    private readonly maxGroup: number,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queued.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // Let the other requests of this turn reach their write first: they join the group.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued.length > 0) {
        const group = this.queued.splice(0, this.maxGroup);
        try {
          const results: readonly R[] | undefined = (await this.write(group.map((q) => q.item))) ?? undefined;
          for (const [i, q] of group.entries()) q.resolve(results?.[i] as R);
        } catch {
          // Alone, each item succeeds or fails on its own.
          for (const q of group) {
            try {
              const results: readonly R[] | undefined = (await this.write([q.item])) ?? undefined;
              q.resolve(results?.[0] as R);
            } catch (error) {
              q.reject(error);
            }
          }
        }
      }
    } finally {
      this.running = false;
    }
  }
}
