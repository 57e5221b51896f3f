import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

describe('Batcher', () => {
  it('writes what arrives in one turn of the event loop as one batch, each caller getting its own outcome', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(async (inputs) => {
      batches.push(inputs);
      return inputs.map((input) => (input < 0 ? { status: 'rejected', reason: new Error(`bad ${input}`) } : { status: 'fulfilled', value: input * 10 }));
    }, 100);
    const outcomes = await Promise.allSettled([1, -2, 3].map((input) => batcher.add(input)));
    expect(batches).toEqual([[1, -2, 3]]);
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : (outcome.reason as Error).message))).toEqual([10, 'bad -2', 30]);
  });

  it('writes one batch at a time; what arrives meanwhile goes in the next, at most maxBatch each', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const batcher = new Batcher<number, number>(async (inputs) => {
      batches.push(inputs);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return inputs.map((value) => ({ status: 'fulfilled', value }));
    }, 2);
    const first = batcher.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((input) => batcher.add(input));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('rejects every caller of a batch whose write throws, and writes the next batch anyway', async () => {
    let calls = 0;
    const batcher = new Batcher<number, number>(async (inputs) => {
      calls += 1;
      if (calls === 1) throw new Error('database away');
      return inputs.map((value) => ({ status: 'fulfilled', value }));
    }, 10);
    await expect(Promise.all([batcher.add(1), batcher.add(2)])).rejects.toThrow('database away');
    expect(await batcher.add(3)).toBe(3);
  });
});
