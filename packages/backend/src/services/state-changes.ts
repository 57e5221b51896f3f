import { ErrorCode, EventState, errorText } from '@palco/sdk/protocol';
import type { EventBus } from '../bus/bus.js';
import type { EventRow } from '../db/models.js';
import { stateOf } from './serialize.js';

/**
 * Tells every socket of `event`, on every process, that its state changed from `before` (as
 * it was before an administrator's change) to what it is at `now` (ms) after the change was
 * saved (docs/journey.md "State changes on open sockets"):
 *
 * - `ended` (closed without a replay, or a replay window cut short): `close_event`, so every
 *   socket gets `event_closed` and is closed with 4010, as it always was;
 * - any other new state: a broadcast of `event_state {state}` to everyone. Going live sends
 *   `live`; closing with a replay to follow sends `on_demand` and the sockets stay open.
 *
 * Nothing is sent when the state did not change. Publish `event_changed` first, so every
 * process reads the event again before the sockets hear of its new state.
 */
export async function publishStateChange(bus: EventBus, event: EventRow, before: EventState, now: number): Promise<EventState> {
  const after = stateOf(event, now);
  if (after === before) return after;
  if (after === EventState.ended) {
    await bus.publish({ kind: 'close_event', eventId: event.id, message: errorText(ErrorCode.eventClosed, 'es') });
  } else {
    await bus.publish({ kind: 'broadcast', eventId: event.id, audience: { kind: 'everyone' }, message: { type: 'event_state', state: after } });
  }
  return after;
}
