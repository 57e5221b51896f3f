import { describe, expect, it } from 'vitest';
import { Inbox } from './inbox.js';

const frame = (text: string) => Buffer.from(text);

describe('Inbox', () => {
  it('keeps frames in order up to its capacity and refuses the rest', () => {
    const inbox = new Inbox(2);
    expect([inbox.put(frame('a')), inbox.put(frame('b')), inbox.put(frame('c'))]).toEqual([true, true, false]);
    expect(inbox.drain().map(String)).toEqual(['a', 'b']);
    expect(inbox.drain()).toEqual([]);
  });

  it('hands a frame to a waiting take at once, without queueing it', async () => {
    const inbox = new Inbox(1);
    const taken = inbox.take(performance.now() + 1_000);
    expect(inbox.put(frame('auth'))).toBe(true);
    expect(String(await taken)).toBe('auth');
    expect(inbox.put(frame('next'))).toBe(true);
    expect(String(await inbox.take(performance.now() + 1_000))).toBe('next');
  });

  it('gives null once the deadline passes, or at once when the socket goes away', async () => {
    const inbox = new Inbox(1);
    expect(await inbox.take(performance.now() + 20)).toBeNull();
    const waiting = inbox.take(performance.now() + 10_000);
    inbox.close();
    expect(await waiting).toBeNull();
  });
});
