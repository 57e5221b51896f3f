interface Waiting<Input, Output> {
  input: Input;
  resolve(output: Output): void;
  reject(error: unknown): void;
}

/** Writes a batch; one outcome per input, in order. */
export type BatchWrite<Input, Output> = (inputs: Input[]) => Promise<PromiseSettledResult<Output>[]>;

/**
 * Group commit for single-row writes made by many callers at once: one batch is written at
 * a time, and whatever arrives meanwhile goes together in the next one. A lone write leaves
 * at once (no waiting window); under load the batches grow by themselves. Each caller gets
 * its own outcome.
 */
export class Batcher<Input, Output> {
  private queue: Waiting<Input, Output>[] = [];
  private writing = false;
  private scheduled = false;

  constructor(
    private readonly write: BatchWrite<Input, Output>,
    private readonly maxBatch: number,
  ) {}

  add(input: Input): Promise<Output> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /** Waits for the rest of this turn of the event loop: requests parsed together go together. */
  private schedule() {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.writeNext();
    });
  }

  private async writeNext() {
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    const batch = this.queue.splice(0, this.maxBatch);
    try {
      const outcomes = await this.write(batch.map((waiting) => waiting.input));
      batch.forEach((waiting, index) => {
        const outcome = outcomes[index]!;
        if (outcome.status === 'fulfilled') waiting.resolve(outcome.value);
        else waiting.reject(outcome.reason);
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.writing = false;
      if (this.queue.length > 0) this.schedule();
    }
  }
}
