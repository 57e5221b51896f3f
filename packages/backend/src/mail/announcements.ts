import { EventState, MailKind } from '@palco/sdk/protocol';
import type { EventRow } from '../db/models.js';
import { stateOf } from '../services/serialize.js';
import type { MailOutbox } from './outbox.js';

/**
 * The lifecycle mail an administrator's change sets off: "we are live" when a scheduled
 * event starts, and on closing with a replay "thank you" to those who connected and "sorry
 * we missed you" to those who never did. Queued without waiting (an event may have tens of
 * thousands of attendees); the outbox logs what it could not queue.
 */
export function announceJourney(
  outbox: MailOutbox,
  event: EventRow,
  before: { wasActive: boolean; wasLive: boolean },
  now: number,
) {
  if (!before.wasLive && event.live_at != null && event.starts_at != null) void outbox.queueForAttendees(event, MailKind.live);
  if (before.wasActive && !event.is_active && stateOf(event, now) === EventState.onDemand) {
    void outbox.queueForAttendees(event, MailKind.thanks, 'watched');
    void outbox.queueForAttendees(event, MailKind.missed, 'missed');
  }
}
