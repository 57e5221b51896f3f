import type { EventBus } from '../bus/bus.js';
import type { Logger } from '../log.js';
import type { ChatService } from '../services/chat.js';
import type { Room } from './room.js';

/** A replay after a bus outage reaches this far before the outage began (clocks, write delays). */
const marginMs = 10_000;
/** Past this many messages of one event, viewers fill the rest of an outage's gap from history on their next reconnect. */
const maxReplayed = 2_000;

/**
 * While the bus was cut off, chat written on other processes reached only their own sockets.
 * Once it is back, each room here gets from the chat service the messages of the outage it
 * has not delivered; clients drop the ones they already have.
 */
export class ChatReplay {
  private readonly unsubscribe: () => void;

  constructor(
    bus: EventBus,
    private readonly chat: ChatService,
    private readonly rooms: () => Iterable<Room>,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = bus.onReconnected((lostSince) => void this.replay(lostSince));
  }

  stop() {
    this.unsubscribe();
  }

  private async replay(lostSince: number) {
    for (const room of [...this.rooms()]) {
      const state = room.loadedState;
      if (!state) continue;
      try {
        const stored = await this.chat.storedSince(room.eventId, lostSince - marginMs, maxReplayed);
        const missed = stored.filter((message) => !state.hasChat(message.id));
        for (const message of missed) room.enqueue({ kind: 'everyone' }, { type: 'chat', ...message });
        if (missed.length > 0) this.logger.warn({ eventId: room.eventId, messages: missed.length }, 'replayed chat missed during a bus outage');
      } catch (error) {
        this.logger.error({ err: (error as Error).message, eventId: room.eventId }, 'chat missed during a bus outage not replayed');
      }
    }
  }
}
