import { CloseCode, PollLimits, type Question, type ServerMessage } from '@palco/sdk/protocol';
import type { Audience } from '../bus/bus.js';
import { audienceClasses, classesOf, reaches, tellStateChange, userOf } from './audiences.js';
import type { AudienceClass, Connection } from './connection.js';
import { ResultsPacing } from './results-pacing.js';
import { RoomState } from './room-state.js';
import { SlicedWrites } from './sliced-writes.js';
import { traffic } from './traffic.js';
import { SharedFrame } from './wire-frame.js';

interface Entry {
  audience: Audience;
  message: ServerMessage;
  question: Question | undefined;
  /** Serialized once, whoever receives it. */
  json: string;
}

/** Paced frames (results, reactions) are written this many sockets per turn of the event loop: see SlicedWrites. */
const pacedWritesPerTurn = 500;

/**
 * Messages whose frames may reach a room's sockets over several turns (SlicedWrites): counts
 * that a newer one replaces, whose order against the rest (chat, moderation) means nothing.
 * The viewer count changes every few seconds while people come and go; were it not among
 * them, it would write the rest of a results frame at once, as chat does.
 */
function isPaced(entry: Entry): boolean {
  const { type } = entry.message;
  return type === 'poll_results' || type === 'reactions' || type === 'viewers' || type === 'active_sessions';
}

interface Delivery {
  connection: Connection;
  frame: SharedFrame;
  messages: number;
}

/** One frame for a burst: a plain object for one message, an array for several. */
function frameText(jsons: string[]): string {
  return jsons.length === 1 ? jsons[0]! : `[${jsons.join(',')}]`;
}

/**
 * The sockets of one event on this process and what a newcomer needs to know about it.
 * Broadcasts are held for a short window and then leave as one frame per audience class,
 * built once and written as the same bytes to every socket of that class.
 */
export class Room {
  readonly connections = new Set<Connection>();
  private readonly byClass: Record<AudienceClass, Set<Connection>> = {
    attendee: new Set(),
    speaker: new Set(),
    moderator: new Set(),
  };
  private state: RoomState | null = null;
  private loading: Promise<RoomState> | null = null;
  private pending: Entry[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  /** When the room's last frame left (performance.now() ms): the next waits a window from it. */
  private lastFrameAt = -Infinity;
  /** Reactions from every process, summed until this room's next `reactions` frame. */
  private reactions: { counts: Record<string, number>; timer: NodeJS.Timeout | null } | null = null;
  /** While a `reactions` frame is on its way to some sockets; then when it reached the last (performance.now() ms). */
  private reactionsLeaving = false;
  private reactionsReachedAt = -Infinity;
  private readonly pacing = new ResultsPacing<Entry>(1000 / PollLimits.resultsPerSecond, (entry) => this.push(entry));
  private readonly sliced = new SlicedWrites<Delivery>(pacedWritesPerTurn, (delivery) => this.deliver(delivery));
  /** Set while the room is empty and waiting to be dropped (releaseWhenIdle). */
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly eventId: number,
    /** The coalescing window in ms: fixed, or the process's current one (coalescing.ts). */
    private readonly coalesce: number | { readonly ms: number },
    private readonly loadState: (eventId: number) => Promise<RoomState> = RoomState.load,
  ) {}

  /** The room's state, loaded once; broadcasts that arrive meanwhile are taken into it. */
  ready(): Promise<RoomState> {
    if (this.state) return Promise.resolve(this.state);
    this.loading ??= this.loadState(this.eventId).then(
      (state) => {
        // Nobody has joined yet: what arrived during the load only updates the state.
        for (const entry of this.pending.splice(0)) state.apply(entry.message, entry.question, entry.audience);
        this.reactionsLeaving = false;
        this.state = state;
        this.loading = null;
        // Taps that came after the load took a reactions frame waited for it: their window starts now.
        this.startReactionsWindow();
        return state;
      },
      (error: unknown) => {
        this.pending = [];
        this.reactionsLeaving = false;
        this.loading = null;
        throw error;
      },
    );
    return this.loading;
  }

  get isEmpty(): boolean {
    return this.connections.size === 0;
  }

  hasModerators(): boolean {
    return this.byClass.moderator.size > 0;
  }

  /** Adds a welcomed socket: from now on it receives every frame of the room. */
  join(connection: Connection) {
    this.connections.add(connection);
    this.byClass[connection.audienceClass].add(connection);
  }

  leave(connection: Connection) {
    if (!this.connections.delete(connection)) return;
    this.byClass[connection.audienceClass].delete(connection);
  }

  /**
   * Calls `release` once after `idleMs` (ms) if the room is still empty then: a room without
   * sockets keeps its state a while, since people reconnect. Does nothing while the room has
   * sockets or already waits; keep() and dispose() call it off.
   */
  releaseWhenIdle(idleMs: number, release: () => void) {
    if (!this.isEmpty || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.isEmpty) release();
    }, idleMs);
    this.idleTimer.unref();
  }

  /** Someone is coming in: the room is not dropped. */
  keep() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** The loaded state, or null while it loads. */
  get loadedState(): RoomState | null {
    return this.state;
  }

  /** Queues a broadcast for the next frame. Before the state is loaded only a running load needs it. */
  enqueue(audience: Audience, message: ServerMessage, question?: Question) {
    if (!this.state && !this.loading) return;
    if (message.type === 'reactions') return this.addReactions(message.counts);
    const entry: Entry = { audience, message, question, json: JSON.stringify(message) };
    if (message.type === 'poll_deleted') this.pacing.forget(message.id);
    // Results hidden again: what the pacing still holds for attendees must not follow.
    if (message.type === 'poll' && audience.kind === 'attendees' && !message.poll.results_visible) this.pacing.drop(`${message.poll.id}:attendees`);
    if (message.type === 'poll_results' && !this.pacing.admit(`${message.id}:${audience.kind}`, message.total, entry)) return;
    this.push(entry);
  }

  /**
   * One `reactions` frame per PollLimits.reactionsWindowMs (500 ms) at every socket, whatever
   * the number of taps and processes: taps wait until a whole window has passed since the last
   * frame reached its last socket, and leave together.
   */
  private addReactions(counts: Record<string, number | undefined>) {
    this.reactions ??= { counts: {}, timer: null };
    for (const [emoji, count] of Object.entries(counts)) this.reactions.counts[emoji] = (this.reactions.counts[emoji] ?? 0) + (count ?? 0);
    this.startReactionsWindow();
  }

  private startReactionsWindow() {
    const reactions = this.reactions;
    if (!reactions || reactions.timer || this.reactionsLeaving) return;
    const wait = Math.max(0, this.reactionsReachedAt + PollLimits.reactionsWindowMs - performance.now());
    reactions.timer = setTimeout(() => {
      this.reactions = null;
      // Queued for the room's next frame: the next window waits until this one reached every socket.
      this.reactionsLeaving = true;
      const message = { type: 'reactions' as const, counts: reactions.counts };
      this.push({ audience: { kind: 'everyone' }, message, question: undefined, json: JSON.stringify(message) });
    }, wait);
  }

  /**
   * Queues an entry for the next frame; at most one frame leaves per coalescing window. An entry
   * finding the last frame a window ago leaves at the end of this turn; one coming sooner waits
   * out the window with whatever else comes (docs/architecture.md, the message path, step 7).
   */
  private push(entry: Entry) {
    this.pending.push(entry);
    if (this.state && !this.flushTimer) {
      const windowMs = typeof this.coalesce === 'number' ? this.coalesce : this.coalesce.ms;
      this.flushTimer = setTimeout(() => this.flush(), Math.max(0, this.lastFrameAt + windowMs - performance.now()));
    }
  }

  /** Sends what is queued now: one frame per audience class, and one per user addressed by name. */
  flush() {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const state = this.state;
    if (!state || this.pending.length === 0) return;
    // Results of one poll and audience queued twice (a flush held back while the state
    // loads, say) leave once, the latest: a frame never carries two of them.
    const latestResults = new Map<string, Entry>();
    for (const entry of this.pending) if (entry.message.type === 'poll_results') latestResults.set(`${entry.message.id}:${entry.audience.kind}`, entry);
    const entries = this.pending.filter((entry) => entry.message.type !== 'poll_results' || latestResults.get(`${entry.message.id}:${entry.audience.kind}`) === entry);
    this.pending = [];
    this.lastFrameAt = performance.now();
    // The state moves on exactly when the frame leaves, so a welcome built from it and the
    // frames after it neither miss nor repeat anything.
    const pacedKeys: string[] = [];
    let carriesReactions = false;
    for (const entry of entries) {
      state.apply(entry.message, entry.question, entry.audience);
      if (entry.message.type === 'poll_results') pacedKeys.push(`${entry.message.id}:${entry.audience.kind}`);
      if (entry.message.type === 'reactions') carriesReactions = true;
    }
    for (const key of pacedKeys) this.pacing.leaving(key);
    const reached = () => {
      for (const key of pacedKeys) this.pacing.reached(key);
      if (carriesReactions) {
        this.reactionsLeaving = false;
        this.reactionsReachedAt = performance.now();
        this.startReactionsWindow();
      }
    };
    // Paced frames may take a few turns to reach every socket; anything else first sends
    // what they still owe, then goes at once, so each socket gets its frames in order.
    if (entries.every(isPaced)) {
      const deliveries: Delivery[] = [];
      this.forEachDelivery(entries, (delivery) => deliveries.push(delivery));
      this.sliced.add(deliveries, reached);
      return;
    }
    this.sliced.finish();
    const framed = entries.filter((entry) => !tellStateChange(entry.message, entry.json, this.connections));
    // Written as they are found: a chat frame to 10 000 sockets builds no list first.
    this.forEachDelivery(framed, (delivery) => this.deliver(delivery));
    // The next window counts from here, once every socket has it: under a steady stream, a
    // frame that takes 40 ms to write is followed a window after that, not back to back.
    this.lastFrameAt = performance.now();
    reached();
  }

  /**
   * Sends what is queued and what paced frames still owe, now: for whoever writes to the
   * sockets straight after (a close notice), so that it comes after everything of the room.
   */
  flushAll() {
    this.flush();
    this.sliced.finish();
  }

  private deliver({ connection, frame, messages }: Delivery) {
    if (connection.writeShared(frame)) traffic.messagesOut += messages;
  }

  /** Who gets which frame for `entries`: one frame per audience class, and one per user addressed by name. */
  private forEachDelivery(entries: Entry[], each: (delivery: Delivery) => void) {
    if (this.connections.size === 0) return;
    const perClass: Record<AudienceClass, string[]> = { attendee: [], speaker: [], moderator: [] };
    const addressed = new Set<number>();
    for (const entry of entries) {
      for (const audienceClass of classesOf(entry.audience)) perClass[audienceClass].push(entry.json);
      const userId = userOf(entry.audience);
      if (userId !== null) addressed.add(userId);
    }
    // Lists with the same messages (the usual case: only `everyone` ones) share one buffer,
    // and each list is serialized once, however many sockets it goes to.
    const buffers = new Map<string, SharedFrame>();
    const frames = new Map<string[], SharedFrame>();
    const frameOf = (jsons: string[]) => {
      let frame = frames.get(jsons);
      if (frame) return frame;
      const text = frameText(jsons);
      frame = buffers.get(text) ?? new SharedFrame(Buffer.from(text));
      buffers.set(text, frame);
      frames.set(jsons, frame);
      return frame;
    };
    // A user addressed by name gets their class's messages and their own, in order, in one
    // frame; every socket of one user is of one class, so one list serves them all.
    const ownJsons = new Map<number, string[]>();
    const jsonsOf = (connection: Connection): string[] => {
      const userId = connection.member.id;
      if (!addressed.has(userId)) return perClass[connection.audienceClass];
      let jsons = ownJsons.get(userId);
      if (!jsons) ownJsons.set(userId, (jsons = entries.filter((entry) => reaches(entry.audience, connection)).map((entry) => entry.json)));
      return jsons;
    };
    for (const audienceClass of audienceClasses) {
      if (perClass[audienceClass].length === 0 && addressed.size === 0) continue;
      for (const connection of this.byClass[audienceClass]) {
        const jsons = jsonsOf(connection);
        if (jsons.length > 0) each({ connection, frame: frameOf(jsons), messages: jsons.length });
      }
    }
  }

  /**
   * Shutdown: sends what is queued, closes every socket and stops the timers. A socket whose
   * commands were all answered closes with 1012, which promises the client that whatever went
   * unanswered was not done, so it sends it again; one with a command still running has an
   * unknown outcome (1011). Returns how many closed with 1011.
   */
  closeForRestart(): number {
    this.flushAll();
    let unanswered = 0;
    for (const connection of [...this.connections]) {
      const answeredAll = connection.queuedCommands === 0;
      if (!answeredAll) unanswered += 1;
      connection.close(answeredAll ? CloseCode.serverRestarting : CloseCode.serverError);
    }
    this.dispose();
    return unanswered;
  }

  /** Stops every timer; queued frames are dropped. */
  dispose() {
    this.keep();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.pending = [];
    this.pacing.dispose();
    this.sliced.dispose();
    if (this.reactions?.timer) clearTimeout(this.reactions.timer);
    this.reactions = null;
    this.reactionsLeaving = false;
  }
}
