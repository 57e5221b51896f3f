import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { CloseCode, PollKind, PollStatus, Role, type Poll, type ServerMessage } from '@palco/sdk/protocol';
import { Connection } from '../../packages/backend/src/realtime/connection.js';
import type { Member } from '../../packages/backend/src/services/member.js';
import { Revocations } from '../../packages/backend/src/realtime/revocations.js';
import { Room } from '../../packages/backend/src/realtime/room.js';
import { RoomState } from '../../packages/backend/src/realtime/room-state.js';
import { databaseTargets } from '../support/server.js';
import { attendeeOf, connect, createEvent, useRealtimeServer } from './support.js';
import { sleep } from '../support/poll.js';

/** The part of a `ws` socket the hub writes to, recording what it was given. */
class FakeSocket {
  readonly OPEN = 1;
  readonly CONNECTING = 0;
  readyState = 1;
  bufferedAmount = 0;
  readonly written: Array<string | Buffer> = [];
  closedWith: number | null = null;
  send(data: string | Buffer) {
    this.written.push(data);
  }
  close(code: number) {
    this.closedWith = code;
    this.readyState = 3;
  }
  terminate() {
    this.readyState = 3;
  }
  /** A dropped socket is read no further. */
  pause() {}
}

let nextUserId = 1;
function member(role: Role): Member {
  return { id: nextUserId++, name: 'x', role, eventId: 1, chat_blocked: false, qa_blocked: false, banned: false, chat_blocked_until: null, qa_blocked_until: null };
}

/** A room already loaded, with connections on fake sockets. */
async function roomWith(roles: Role[], maxBufferedBytes = 1024) {
  // Loaded without a database: the empty state of a new event.
  const room = new Room(1, 1_000, async () => new RoomState());
  await room.ready();
  const connections = roles.map((role) => {
    const socket = new FakeSocket();
    const connection = new Connection(socket as unknown as WebSocket, member(role), 1, 'es', 0, maxBufferedBytes, (closed) => room.leave(closed));
    room.join(connection);
    return { socket, connection };
  });
  return { room, connections };
}

const chat = (id: number): ServerMessage => ({ type: 'chat', id, user_id: 1, user_name: 'A', message: `m${id}`, timestamp: '10:00', created_at: '2026-03-01T10:00:00.000Z' });

describe('fan-out of one room', () => {
  it('writes one shared buffer per audience class for a burst: an array for several messages', async () => {
    const { room, connections } = await roomWith([Role.attendee, Role.attendee, Role.speaker, Role.moderator]);
    room.enqueue({ kind: 'everyone' }, chat(1));
    room.enqueue({ kind: 'moderators' }, { type: 'pending_question', id: 7, question: '¿?', user_id: 1, user_name: 'A', created_at: '2026-03-01T10:00:00.000Z' });
    room.enqueue({ kind: 'everyone' }, chat(2));
    room.flush();
    const [first, second, speaker, moderator] = connections.map(({ socket }) => socket.written);
    expect(first).toHaveLength(1);
    expect(first![0]).toBe(second![0]);
    expect(JSON.parse(first![0]!.toString()).map((m: ServerMessage) => m.type)).toEqual(['chat', 'chat']);
    expect(speaker![0]).toBe(first![0]);
    expect(JSON.parse(moderator![0]!.toString()).map((m: ServerMessage) => m.type)).toEqual(['chat', 'pending_question', 'chat']);
    room.dispose();
  });

  it('sends a lone message as a plain object', async () => {
    const { room, connections } = await roomWith([Role.attendee]);
    room.enqueue({ kind: 'everyone' }, { type: 'viewers', count: 3 });
    room.flush();
    expect(JSON.parse(connections[0]!.socket.written[0]!.toString())).toEqual({ type: 'viewers', count: 3 });
    room.dispose();
  });

  it("gives a message addressed to one attendee to that attendee only, in order with the rest", async () => {
    const { room, connections } = await roomWith([Role.attendee, Role.attendee, Role.speaker]);
    const author = connections[0]!.connection.member.id;
    room.enqueue({ kind: 'everyone' }, chat(3));
    room.enqueue({ kind: 'staff_and_user', userId: author }, { type: 'question_updated', id: 9, status: 'rejected' });
    room.flush();
    const types = (index: number) => [JSON.parse(connections[index]!.socket.written[0]!.toString())].flat().map((m: ServerMessage) => m.type);
    expect(types(0)).toEqual(['chat', 'question_updated']);
    expect(types(1)).toEqual(['chat']);
    expect(types(2)).toEqual(['chat', 'question_updated']);
    room.dispose();
  });

  it('drops a reader whose unsent bytes pass the cap with 1013, and keeps serving the others', async () => {
    const { room, connections } = await roomWith([Role.attendee, Role.attendee], 1024);
    const [slow, fast] = connections;
    slow!.socket.bufferedAmount = 4096;
    room.enqueue({ kind: 'everyone' }, chat(4));
    room.flush();
    expect(slow!.socket.closedWith).toBe(CloseCode.tryAgainLater);
    expect(slow!.socket.written).toHaveLength(0);
    expect(room.connections.has(slow!.connection)).toBe(false);
    expect(fast!.socket.written).toHaveLength(1);
    room.dispose();
  });

  it('sends the first message after a pause at once, and what follows within the coalescing window together at its end', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      // The room's window is 1 000 ms.
      const { room, connections } = await roomWith([Role.attendee]);
      const written = connections[0]!.socket.written;
      const contents = () => written.map((frame) => [JSON.parse(frame.toString())].flat().map((m: ServerMessage) => m.type === 'chat' && m.id));
      room.enqueue({ kind: 'everyone' }, chat(1));
      vi.advanceTimersByTime(1); // a zero timeout: whatever else this turn brings goes along
      expect(contents()).toEqual([[1]]);
      vi.advanceTimersByTime(100);
      room.enqueue({ kind: 'everyone' }, chat(2));
      vi.advanceTimersByTime(500);
      room.enqueue({ kind: 'everyone' }, chat(3));
      vi.advanceTimersByTime(1_000 - 601 - 1);
      expect(contents()).toEqual([[1]]);
      vi.advanceTimersByTime(1); // a whole window after the first frame
      expect(contents()).toEqual([[1], [2, 3]]);
      vi.advanceTimersByTime(5_000);
      room.enqueue({ kind: 'everyone' }, chat(4));
      vi.advanceTimersByTime(1);
      expect(contents()).toEqual([[1], [2, 3], [4]]);
      room.dispose();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('frames that take long to write', () => {
  it('counts the coalescing window from when the last frame reached every socket, not from when it began', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      // The room's window is 1 000 ms; each socket takes 200 ms of the clock to be written to.
      const { room, connections } = await roomWith([Role.attendee, Role.attendee]);
      for (const { socket } of connections) {
        const send = socket.send.bind(socket);
        socket.send = (data) => {
          send(data);
          vi.advanceTimersByTime(200);
        };
      }
      const written = connections[1]!.socket.written;
      room.enqueue({ kind: 'everyone' }, chat(1));
      vi.advanceTimersByTime(1); // the first frame leaves at once, and its writes take 400 ms
      expect(written).toHaveLength(1);
      room.enqueue({ kind: 'everyone' }, chat(2));
      vi.advanceTimersByTime(998);
      expect(written).toHaveLength(1);
      vi.advanceTimersByTime(1); // a whole window after the first frame was written, 1 400 ms after it began
      expect(written).toHaveLength(2);
      room.dispose();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('paced frames of a big room', () => {
  /** Timers and performance.now() under the test's hand; setImmediate (a turn of the loop) stays real. */
  const fakeClock: Parameters<typeof vi.useFakeTimers>[0] = { toFake: ['setTimeout', 'clearTimeout', 'performance'] };
  afterEach(() => void vi.useRealTimers());
  const results = (total: number): ServerMessage => ({ type: 'poll_results', id: 5, total, options: [{ id: 1, count: total }] });
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const typesAt = (socket: FakeSocket) => socket.written.map((frame) => JSON.parse(frame.toString()).type as string);

  it('writes poll results 500 sockets a turn, so votes are read between the slices', async () => {
    const { room, connections } = await roomWith(Array.from({ length: 1_200 }, () => Role.attendee));
    room.enqueue({ kind: 'everyone' }, results(1));
    room.flush();
    const reached = () => connections.filter(({ socket }) => socket.written.length === 1).length;
    expect(reached()).toBe(500);
    await turn();
    expect(reached()).toBe(1_000);
    await turn();
    expect(reached()).toBe(1_200);
    room.dispose();
  });

  it('sends the rest of a paced frame before a chat message, so every socket gets them in order', async () => {
    const { room, connections } = await roomWith(Array.from({ length: 1_200 }, () => Role.attendee));
    room.enqueue({ kind: 'everyone' }, results(1));
    room.flush();
    room.enqueue({ kind: 'everyone' }, chat(1));
    room.flush();
    for (const { socket } of connections) expect(typesAt(socket)).toEqual(['poll_results', 'chat']);
    room.dispose();
  });

  it('sends the rest of a paced frame before the event closes, so every socket gets the results before event_closed', async () => {
    const { room, connections } = await roomWith(Array.from({ length: 1_200 }, () => Role.attendee));
    const revocations = new Revocations({ socketsOf: () => [], room: () => room, eventIds: () => [1] });
    room.enqueue({ kind: 'everyone' }, results(1));
    room.flush();
    revocations.closeEvent(1);
    for (const { socket } of connections) expect(typesAt(socket)).toEqual(['poll_results', 'event_closed']);
    room.dispose();
  });

  it('lets a viewer count follow a paced frame over the turns, as chat does not', async () => {
    const { room, connections } = await roomWith(Array.from({ length: 1_200 }, () => Role.attendee));
    room.enqueue({ kind: 'everyone' }, results(1));
    room.flush();
    room.enqueue({ kind: 'everyone' }, { type: 'viewers', count: 1_200 });
    room.flush();
    expect(connections.filter(({ socket }) => socket.written.length > 0)).toHaveLength(500);
    await turn();
    await turn();
    await turn();
    await turn();
    for (const { socket } of connections) expect(typesAt(socket)).toEqual(['poll_results', 'viewers']);
    room.dispose();
  });

  it('does not send a socket newer results until the last frame reached every socket and half a second passed', async () => {
    vi.useFakeTimers(fakeClock);
    const { room, connections } = await roomWith(Array.from({ length: 1_200 }, () => Role.attendee));
    room.enqueue({ kind: 'everyone' }, results(1));
    room.flush();
    // The frame is still on its way to 700 sockets when the pacing interval has passed.
    vi.advanceTimersByTime(600);
    room.enqueue({ kind: 'everyone' }, results(2));
    vi.advanceTimersByTime(2_000);
    expect(connections[0]!.socket.written).toHaveLength(1);
    await turn();
    await turn();
    expect(connections.at(-1)!.socket.written).toHaveLength(1);
    // The interval; the room's last frame left more than a coalescing window ago, so no more.
    vi.advanceTimersByTime(500 - 1);
    expect(connections[0]!.socket.written).toHaveLength(1);
    vi.advanceTimersByTime(2); // the release, then the flush's zero timeout (1 ms, in Node as in the fake clock)
    expect(JSON.parse(connections[0]!.socket.written[1]!.toString())).toMatchObject({ type: 'poll_results', total: 2 });
    room.dispose();
  });

  it('sends attendees no results held back by the pacing once the poll hides them again', async () => {
    vi.useFakeTimers(fakeClock);
    const { room, connections } = await roomWith([Role.attendee]);
    const poll = { id: 5, event_id: 1, kind: PollKind.single, question: '¿?', options: [{ id: 1, text: 'a' }], status: PollStatus.open, opened_at: '2026-03-01T10:00:00.000Z', closed_at: null, created_at: '2026-03-01T10:00:00.000Z' } as Poll;
    room.enqueue({ kind: 'attendees' }, results(1));
    vi.advanceTimersByTime(1); // the first frame of a quiet room leaves at once
    expect(connections[0]!.socket.written).toHaveLength(1);
    room.enqueue({ kind: 'attendees' }, results(2)); // held: half a second has not passed
    room.enqueue({ kind: 'attendees' }, { type: 'poll', poll: { ...poll, results_visible: false } });
    vi.advanceTimersByTime(5_000);
    const messages = connections[0]!.socket.written.flatMap((frame) => [JSON.parse(frame.toString())]).flat() as ServerMessage[];
    expect(messages.map((message) => message.type)).toEqual(['poll_results', 'poll']);
    expect(room.loadedState!.pollsForWelcome('attendee')).toContain('"poll_results":[]');
    room.dispose();
  });

  it('keeps taps that come while a reactions frame waits for the coalescing window out of that frame', async () => {
    vi.useFakeTimers(fakeClock);
    const { room, connections } = await roomWith([Role.attendee]);
    room.enqueue({ kind: 'everyone' }, { type: 'reactions', counts: { '👏': 2 } });
    vi.advanceTimersByTime(10);
    room.enqueue({ kind: 'everyone' }, { type: 'reactions', counts: { '🎉': 1 } });
    vi.advanceTimersByTime(990);
    const written = connections[0]!.socket.written;
    expect(written.map((frame) => JSON.parse(frame.toString()))).toEqual([{ type: 'reactions', counts: { '👏': 2 } }]);
    vi.advanceTimersByTime(500 + 1_000);
    expect(JSON.parse(written[1]!.toString())).toEqual({ type: 'reactions', counts: { '🎉': 1 } });
    room.dispose();
  });

  it('sends the taps that came while the room loaded, after a reactions frame was queued for the load', async () => {
    vi.useFakeTimers(fakeClock);
    let loaded!: (state: RoomState) => void;
    const room = new Room(1, 1_000, () => new Promise<RoomState>((resolve) => (loaded = resolve)));
    const ready = room.ready();
    room.enqueue({ kind: 'everyone' }, { type: 'reactions', counts: { '👏': 2 } });
    vi.advanceTimersByTime(0); // nobody is in yet: these only go to the state being loaded
    room.enqueue({ kind: 'everyone' }, { type: 'reactions', counts: { '🎉': 1 } });
    loaded(new RoomState());
    await ready;
    const socket = new FakeSocket();
    room.join(new Connection(socket as unknown as WebSocket, member(Role.attendee), 1, 'es', 0, 1024, (closed) => room.leave(closed)));
    vi.advanceTimersByTime(5_000);
    expect(socket.written.map((frame) => JSON.parse(frame.toString()))).toEqual([{ type: 'reactions', counts: { '🎉': 1 } }]);
    room.dispose();
  });

  it('sends the next reactions a whole window after the last reactions frame reached every socket', async () => {
    vi.useFakeTimers(fakeClock);
    const { room, connections } = await roomWith(Array.from({ length: 1_200 }, () => Role.attendee));
    room.enqueue({ kind: 'everyone' }, { type: 'reactions', counts: { '👏': 3 } });
    vi.advanceTimersByTime(1); // the first taps of a quiet room leave at once
    expect(connections[0]!.socket.written).toHaveLength(1);
    room.enqueue({ kind: 'everyone' }, { type: 'reactions', counts: { '👏': 1 } });
    vi.advanceTimersByTime(5_000);
    expect(connections[0]!.socket.written).toHaveLength(1);
    await turn();
    await turn();
    // The reactions window; the room's last frame left more than a coalescing window ago.
    vi.advanceTimersByTime(500 - 1);
    expect(connections[0]!.socket.written).toHaveLength(1);
    vi.advanceTimersByTime(2); // the window's end, then the flush's zero timeout (1 ms)
    expect(JSON.parse(connections[0]!.socket.written[1]!.toString())).toEqual({ type: 'reactions', counts: { '👏': 1 } });
    expect(connections.at(-1)!.socket.written).toHaveLength(1);
    room.dispose();
  });
});

describe.each(databaseTargets)('coalescing over real sockets on $name', (target) => {
  const server = useRealtimeServer(target, { coalesceMs: 150 });

  it('delivers a burst within the window in two frames at most (its first message may leave at once), the same bytes to every attendee', async () => {
    const event = await createEvent(server, 'rafaga');
    const moderator = (await connect(server, { event: event.slug, token: event.moderator.token })).socket;
    const viewers = [
      (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket,
      (await connect(server, { event: event.slug, token: (await attendeeOf(server, event.slug)).token })).socket,
    ];
    await sleep(300);
    const from = viewers.map((viewer) => viewer.frames.length);
    const acks = await Promise.all([1, 2, 3].map((n) => moderator.ok({ type: 'chat', message: `ráfaga ${n}` })));
    for (const viewer of viewers) await viewer.waitFor('chat', (m) => m.id === Math.max(...acks.map((ack) => ack.id!)));
    const frames = viewers.map((viewer, index) => viewer.frames.slice(from[index]).filter((frame) => frame.includes('"chat"')));
    // The first message finds a quiet room and may leave alone; the rest wait for the window.
    expect(frames[0]!.length).toBeGreaterThanOrEqual(1);
    expect(frames[0]!.length).toBeLessThanOrEqual(2);
    expect(frames[1]).toEqual(frames[0]);
    const texts = frames[0]!.flatMap((frame) => [JSON.parse(frame)].flat().map((m: ServerMessage) => m.type === 'chat' && m.message));
    expect(texts).toEqual(['ráfaga 1', 'ráfaga 2', 'ráfaga 3']);
  });
});
