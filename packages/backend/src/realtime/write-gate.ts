import { ErrorCode, EventState, type EventState as State } from '@palco/sdk/protocol';
import type { AppDeps } from '../context.js';
import { UserRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { stateOf } from '../services/serialize.js';
import type { Command } from './commands.js';
import { isAttendeeRole, type Connection } from './connection.js';

/** What an attendee adds to the event: the writes the confirmation gate and the replay hold back. */
const contributions: ReadonlySet<Command['type']> = new Set(['chat', 'ask', 'upvote', 'poll_vote', 'react']);

/**
 * What staff may still do while the replay is on: take content down (delete a chat message,
 * reject a held one or a question, archive, restrict or ban a person), because replay viewers
 * read the chat and questions and a moderator must be able to remove what should not be seen.
 * Everything else that writes (new content, answers, polls, pins, highlights) is refused.
 */
const takedowns: ReadonlySet<Command['type']> = new Set(['delete_chat', 'reject_chat', 'reject', 'archive', 'moderate']);

/** How long an unconfirmed attendee's registration is not read again (ms). */
const recheckMs = 5_000;

/**
 * The one check every socket command passes before it runs (docs/journey.md "Who may write"):
 *
 * - `event_on_demand` (403): the event is closed and its replay is on; attendees' writes and
 *   staff's writes other than takedowns are refused.
 * - `event_closed` (403): an attendee's command once the replay window passed (`ended`).
 * - `confirmation_required` (403): on an event with `require_confirmation`, an attendee who
 *   has not opened the emailed link (`users.confirmed_at` null) may watch but not chat, ask,
 *   upvote, answer polls or react. Staff are never gated; attendees who came with the
 *   producer's identity token are confirmed when they arrive.
 *
 * The event is read from the event cache (forgotten on every `event_changed`), so a close or
 * a new `require_confirmation` holds on every process at once; the state is computed at `now`.
 */
export class WriteGate {
  /** When each unconfirmed attendee's registration was last read. */
  private readonly unconfirmedReadAt = new WeakMap<Connection, number>();

  constructor(private readonly deps: Pick<AppDeps, 'events' | 'now'>) {}

  /** Throws the AppError that refuses `command` from `connection`; resolves when it may run. */
  async check(command: Command, connection: Connection): Promise<void> {
    const event = await this.deps.events.byId(connection.eventId);
    if (!event) throw new AppError(404, ErrorCode.eventNotFound);
    const attendee = isAttendeeRole(connection.member.role);
    const state: State = stateOf(event, this.deps.now());
    if (state === EventState.onDemand && (attendee || !takedowns.has(command.type))) {
      throw new AppError(403, ErrorCode.eventOnDemand);
    }
    if (!attendee) return;
    if (state === EventState.ended) throw new AppError(403, ErrorCode.eventClosed);
    if (event.require_confirmation && contributions.has(command.type) && !(await this.isConfirmed(connection))) {
      throw new AppError(403, ErrorCode.confirmationRequired);
    }
  }

  /**
   * Read again until it holds, at most once per `recheckMs` per socket: an attendee may open
   * the link while their socket is open, and one who keeps writing unconfirmed costs no more
   * than a read every few seconds.
   */
  private async isConfirmed(connection: Connection): Promise<boolean> {
    // Confirmed at admission or at an earlier read: never read again.
    if (connection.confirmed) return true;
    const now = this.deps.now();
    const readAt = this.unconfirmedReadAt.get(connection);
    if (readAt !== undefined && now - readAt < recheckMs && now >= readAt) return false;
    const row = await UserRow.findByPk(connection.member.id, { attributes: ['id', 'confirmed_at'] });
    if (row?.confirmed_at == null) {
      this.unconfirmedReadAt.set(connection, now);
      return false;
    }
    connection.confirmed = true;
    return true;
  }
}
