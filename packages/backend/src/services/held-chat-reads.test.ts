import { describe, expect, it } from 'vitest';
import { heldRowsFor } from './held-chat-reads.js';

const row = (id: number, eventId: number, userId: number) => ({ id, event_id: eventId, user_id: userId });

describe('heldRowsFor', () => {
  const rows = [row(5, 1, 10), row(2, 1, 11), row(3, 2, 10), row(4, 1, 10)];

  it('gives a moderator every held message of their event, in id order', () => {
    expect(heldRowsFor(rows, [{ eventId: 1, userId: 99, moderator: true }])[0]!.map((r) => r.id)).toEqual([2, 4, 5]);
  });

  it('gives anyone else only their own held messages of that event', () => {
    const [mine] = heldRowsFor(rows, [{ eventId: 1, userId: 10, moderator: false }]);
    expect(mine!.map((r) => r.id)).toEqual([4, 5]);
  });

  it('answers each newcomer of a batch apart, across events', () => {
    const lists = heldRowsFor(rows, [
      { eventId: 2, userId: 10, moderator: false },
      { eventId: 1, userId: 11, moderator: false },
      { eventId: 2, userId: 77, moderator: false },
    ]);
    expect(lists.map((list) => list.map((r) => r.id))).toEqual([[3], [2], []]);
  });
});
