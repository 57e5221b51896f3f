import { afterEach, describe, expect, it } from 'vitest';
import { SlicedWrites } from './sliced-writes.js';

/** Lets the event loop take one turn: the setImmediate of the next slice runs. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('writes a slice per turn of the event loop', () => {
  const written: string[] = [];
  let writes: SlicedWrites<string>;
  const make = (perTurn: number) => (writes = new SlicedWrites<string>(perTurn, (item) => written.push(item)));
  afterEach(() => {
    writes.dispose();
    written.length = 0;
  });

  it('writes the first slice at once and the rest on later turns, and says when the last write is done', async () => {
    make(2);
    let reachedAt = -1;
    writes.add(['a', 'b', 'c', 'd', 'e'], () => (reachedAt = written.length));
    expect(written).toEqual(['a', 'b']);
    expect(writes.busy).toBe(true);
    await turn();
    expect(written).toEqual(['a', 'b', 'c', 'd']);
    expect(reachedAt).toBe(-1);
    await turn();
    expect(written).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(reachedAt).toBe(5);
    expect(writes.busy).toBe(false);
  });

  it('queues a second frame behind the one under way and says when each reached its last write', async () => {
    make(2);
    const reached: string[] = [];
    writes.add(['a1', 'b1', 'c1'], () => reached.push('first'));
    writes.add(['a2', 'b2', 'c2'], () => reached.push('second'));
    expect(written).toEqual(['a1', 'b1']);
    await turn();
    expect(written).toEqual(['a1', 'b1', 'c1', 'a2']);
    expect(reached).toEqual(['first']);
    await turn();
    expect(written).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
    expect(reached).toEqual(['first', 'second']);
  });

  it('writes everything that waits when told to finish, before what must not wait', async () => {
    make(1);
    const reached: string[] = [];
    writes.add(['a', 'b', 'c'], () => reached.push('paced'));
    writes.finish();
    written.push('chat');
    expect(written).toEqual(['a', 'b', 'c', 'chat']);
    expect(reached).toEqual(['paced']);
    await turn();
    expect(written).toEqual(['a', 'b', 'c', 'chat']);
  });

  it('says at once that an empty frame reached everyone', () => {
    make(2);
    let reached = false;
    writes.add([], () => (reached = true));
    expect(reached).toBe(true);
  });

  it('lets go of what it wrote while frames keep coming before the queue empties', async () => {
    make(2);
    const held = () => (writes as unknown as { writes: unknown[] }).writes.length;
    writes.add(['a', 'b', 'c'], () => undefined);
    // Each turn a frame comes and a slice goes: one write always waits, and the queue never empties.
    for (let frame = 0; frame < 100; frame += 1) {
      writes.add(['d', 'e'], () => undefined);
      await turn();
    }
    expect(writes.busy).toBe(true);
    expect(written).toHaveLength(202);
    expect(held()).toBeLessThan(10);
  });

  it('drops what waits on dispose, without calling back', async () => {
    make(1);
    let reached = false;
    writes.add(['a', 'b'], () => (reached = true));
    writes.dispose();
    await turn();
    expect(written).toEqual(['a']);
    expect(reached).toBe(false);
  });
});
