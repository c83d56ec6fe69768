/**
 * Runs async jobs with at most `limit` in flight (ffmpeg processes here). `add` waits while the pool is full,
 * which also bounds how many rendered videos wait in memory. The first failure is rethrown by the next `add`
 * or by `drain`, after every running job has settled, so no ffmpeg is left running behind an error.
 */
export class TaskPool {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  async add(job: () => Promise<void>): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    if (this.failure) await this.drain();
    const p: Promise<void> = job()
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async drain(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure) throw this.failure.error;
  }

  /** Waits for every running job, ignoring failures (cleanup after an error elsewhere). */
  async settle(): Promise<void> {
    await Promise.all(this.running);
  }
}
