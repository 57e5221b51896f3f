import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { Op } from 'sequelize';
import {
  BlockedWordsAction,
  ErrorCode,
  isModeratorRole,
  ModerationLogAction,
  Role,
  type ChatMessage,
  type HeldChat,
  type PinnedChat,
} from '@palco/sdk/protocol';
import { chargedFor } from '../auth/rate-limits.js';
import type { AppDeps } from '../context.js';
import { ChatMessageRow, EventRow, HeldChatRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { compileWordFilter, type WordFilter } from '../moderation/index.js';
import { chatBlockedNow, type Member } from './member.js';
import { storeOnce } from './client-ids.js';
import { ChatWrites } from './chat-writes.js';
import { notifyPerson, recordModeration } from './moderation-log.js';
import { blockedWordsOf, toChatMessage, toHeldChat } from './serialize.js';
import { storedTime } from './stored-time.js';

const forbidden = () => new AppError(403, ErrorCode.forbidden);

/** What to pin above the chat: a chat message by id, an announcement's text, or neither to clear it. */
export interface PinInput {
  id?: number | null;
  text?: string;
}

export type ChatDeps = Pick<AppDeps, 'bus' | 'makeLimiter' | 'config' | 'events' | 'now'>;

/** Chat of one event: the message is stored before anyone is told about it. */
export class ChatService {
  private readonly perTenSeconds: RateLimiterAbstract;
  /** One limiter per slow-mode interval in use (1 message per N seconds). */
  private readonly slowModes = new Map<number, RateLimiterAbstract>();
  /**
   * Each event's word filter, by the event row the cache holds: the cache hands out a new row
   * after a change (and every few seconds), so an edited list takes effect at once; in between
   * a message costs no lookup, and a new row with the same list finds it compiled by content.
   */
  private readonly filters = new WeakMap<EventRow, WordFilter>();
  /** Every room's messages, looked up and stored in group commits. */
  private readonly writes = new ChatWrites();
  private readonly findByClientId = (where: { user_id: number; client_id: string }) =>
    this.writes.earlier.add({ userId: where.user_id, clientId: where.client_id });

  constructor(private readonly deps: ChatDeps) {
    this.perTenSeconds = deps.makeLimiter({ keyPrefix: 'chat', points: deps.config.rateLimits.chatPer10s, duration: 10 });
  }

  /**
   * The messages of an event stored since `since` (ms since the epoch), oldest first, at most
   * `limit`, deleted ones left out: what a process that was cut off from the bus may have
   * missed of the others' broadcasts.
   */
  async storedSince(eventId: number, since: number, limit: number): Promise<ChatMessage[]> {
    const rows = await ChatMessageRow.findAll({
      where: { event_id: eventId, deleted_at: null, created_at: { [Op.gte]: storedTime(since) } },
      order: [['id', 'ASC']],
      limit,
    });
    return rows.map(toChatMessage);
  }

  /**
   * Stores and broadcasts a message, or holds it for review, or refuses it (422
   * `blocked_words`), as the event says for messages with blocked words. The words are matched
   * once here, on the sender's path, never per reader. With a client id (`cid`) a resend of a
   * message already stored answers with that message, without a new row or charge, and
   * broadcasts it again: its first broadcast may have died with the process that stored it,
   * and clients drop the ids they already have. An attendee's slow mode and the event's word
   * list are read from the event cache, which forgets the event when a change is announced on
   * the bus. Answers the stored message, or the held one (`status: 'held'`).
   */
  async post(eventId: number, member: Member, text: string, clientId?: string): Promise<ChatMessage | HeldChat> {
    const event = await this.deps.events.byId(eventId);
    const match = event && member.role === Role.attendee ? this.filterOf(event).match(text) : null;
    // A resend of a message stored before its words were blocked answers with that message.
    const storedEarlier = match?.matched && clientId !== undefined && (await this.findByClientId({ user_id: member.id, client_id: clientId }));
    if (match?.matched && !storedEarlier) return this.screen(event!, member, text, match.words, clientId);
    const { row, isNew } = await storeOnce<ChatMessageRow>(this.findByClientId, member.id, eventId, clientId, () =>
      this.charged(event, member, () =>
        this.writes.insert.add({
          user_id: member.id,
          user_name: member.name,
          message: text,
          event_id: eventId,
          created_at: storedTime(this.deps.now()),
          client_id: clientId ?? null,
        }),
      ),
    );
    const chat = toChatMessage(row);
    if (isNew || row.deleted_at == null) {
      await this.deps.bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'everyone' }, message: { type: 'chat', ...chat } });
    }
    return chat;
  }

  /** The flags and rate limits of a new message, then `store`. */
  private async charged<T>(event: EventRow | null, member: Member, store: () => Promise<T>): Promise<T> {
    if (chatBlockedNow(member, this.deps.now())) throw new AppError(403, ErrorCode.chatBlocked);
    const charges: Array<[RateLimiterAbstract, string]> = [];
    if (member.role === Role.attendee) {
      const key = `${event?.id}:${member.id}`;
      const slowModeSeconds = event?.slow_mode_seconds ?? 0;
      if (slowModeSeconds > 0) charges.push([this.slowMode(slowModeSeconds), key]);
      charges.push([this.perTenSeconds, key]);
    }
    return chargedFor(charges, store);
  }

  private filterOf(event: EventRow): WordFilter {
    let filter = this.filters.get(event);
    if (!filter) {
      filter = compileWordFilter({
        words: blockedWordsOf(event),
        includeDefaults: { es: Boolean(event.default_words_es), en: Boolean(event.default_words_en) },
      });
      this.filters.set(event, filter);
    }
    return filter;
  }

  /**
   * A message with blocked words: refused, or held for the moderators and its sender told so.
   * With a client id a resend answers with the message held under it, without a new row or
   * charge, and tells the moderators again while it is still held (clients merge by id).
   */
  private async screen(event: EventRow, member: Member, text: string, words: string[], clientId?: string): Promise<HeldChat> {
    if (event.blocked_words_action === BlockedWordsAction.refuse) {
      if (chatBlockedNow(member, this.deps.now())) throw new AppError(403, ErrorCode.chatBlocked);
      throw new AppError(422, ErrorCode.blockedWords);
    }
    const { row, isNew } = await storeOnce<HeldChatRow>((where) => HeldChatRow.findOne({ where }), member.id, event.id, clientId, () =>
      this.charged(event, member, () =>
        HeldChatRow.create({
          event_id: event.id,
          user_id: member.id,
          user_name: member.name,
          message: text,
          words: words.join('\n'),
          created_at: storedTime(this.deps.now()),
          client_id: clientId ?? null,
        }),
      ),
    );
    const held = toHeldChat(row);
    if (isNew) {
      await recordModeration({ eventId: event.id, actorId: null, action: ModerationLogAction.holdChat, targetUserId: member.id, targetId: held.id, detail: text });
    }
    if (held.status !== 'held') return held;
    await this.deps.bus.publish({
      kind: 'broadcast',
      eventId: event.id,
      audience: { kind: 'moderators_and_user', userId: member.id },
      message: { type: 'held_chat', ...held },
    });
    return held;
  }

  /**
   * Lets a held message into the chat. It is stored as a chat message now, so it gets an id
   * after every message already delivered and a catch-up by `after=ID` cannot skip it.
   * 409 `invalid_state` once released or rejected (by another moderator too).
   */
  async release(eventId: number, member: Member, heldId: number): Promise<HeldChat> {
    const row = await this.decide(eventId, member, heldId, 'released', null);
    const chat = toChatMessage(
      await ChatMessageRow.create({
        user_id: row.user_id,
        user_name: row.user_name,
        message: row.message,
        event_id: eventId,
        created_at: storedTime(this.deps.now()),
        deleted_at: null,
      }),
    );
    await row.update({ chat_id: chat.id });
    await recordModeration({ eventId, actorId: member.id, action: ModerationLogAction.releaseChat, targetUserId: row.user_id, targetId: row.id, detail: String(chat.id) });
    await this.deps.bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'everyone' }, message: { type: 'chat', ...chat } });
    await this.publishDecision(eventId, row);
    return toHeldChat(row);
  }

  /** Keeps a held message out for good; its sender sees the reason. */
  async rejectHeld(eventId: number, member: Member, heldId: number, reason?: string): Promise<HeldChat> {
    const row = await this.decide(eventId, member, heldId, 'rejected', reason ?? null);
    await recordModeration({ eventId, actorId: member.id, action: ModerationLogAction.rejectChat, targetUserId: row.user_id, targetId: row.id, reason });
    await this.publishDecision(eventId, row);
    return toHeldChat(row);
  }

  /** Moves a held message on only from `held`: of two moderators deciding at once, one wins. */
  private async decide(eventId: number, member: Member, heldId: number, status: 'released' | 'rejected', reason: string | null) {
    if (!isModeratorRole(member.role)) throw forbidden();
    const [changed] = await HeldChatRow.update({ status, reason, decided_by: member.id }, { where: { id: heldId, event_id: eventId, status: 'held' } });
    const row = await HeldChatRow.findOne({ where: { id: heldId, event_id: eventId } });
    if (!row) throw new AppError(404, ErrorCode.notFound);
    if (changed === 0) throw new AppError(409, ErrorCode.invalidState);
    return row;
  }

  private publishDecision(eventId: number, row: HeldChatRow) {
    return this.deps.bus.publish({
      kind: 'broadcast',
      eventId,
      audience: { kind: 'moderators_and_user', userId: row.user_id },
      message: { type: 'held_chat_updated', id: row.id, status: row.status as 'released' | 'rejected', chat_id: row.chat_id ?? null, reason: row.reason ?? null },
    });
  }

  /** Pins a chat message or an announcement above everyone's chat, or clears the pin. */
  async pin(eventId: number, member: Member, input: PinInput): Promise<{ pinned: PinnedChat | null }> {
    if (!isModeratorRole(member.role)) throw forbidden();
    const pinnedAt = storedTime(this.deps.now()).toISOString();
    let pinned: PinnedChat | null = null;
    if (input.id != null) {
      const row = await ChatMessageRow.findOne({ where: { id: input.id, event_id: eventId, deleted_at: null } });
      if (!row) throw new AppError(404, ErrorCode.notFound);
      pinned = { chat_id: row.id, user_name: row.user_name, message: row.message, pinned_at: pinnedAt };
    } else if (input.text !== undefined) {
      pinned = { chat_id: null, user_name: member.name, message: input.text, pinned_at: pinnedAt };
    }
    await EventRow.update({ pinned_chat: pinned && JSON.stringify(pinned) }, { where: { id: eventId } });
    await recordModeration({ eventId, actorId: member.id, action: ModerationLogAction.pinChat, targetId: pinned?.chat_id ?? null, detail: pinned?.message ?? null });
    // Every process forgets its cached row first, so a newcomer's welcome holds the new pin.
    await this.deps.bus.publish({ kind: 'event_changed', eventId });
    await this.deps.bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'everyone' }, message: { type: 'chat_pinned', pinned } });
    return { pinned };
  }

  /**
   * Hides a message from everyone's screen and from history, and tells its author why;
   * deleting it twice changes nothing.
   */
  async remove(eventId: number, member: Member, messageId: number, reason?: string): Promise<{ id: number }> {
    if (!isModeratorRole(member.role)) throw forbidden();
    const row = await ChatMessageRow.findOne({ where: { id: messageId, event_id: eventId } });
    if (!row) throw new AppError(404, ErrorCode.notFound);
    if (row.deleted_at == null) {
      await row.update({ deleted_at: storedTime(this.deps.now()) });
      await recordModeration({
        eventId,
        actorId: member.id,
        action: ModerationLogAction.deleteChat,
        targetUserId: row.user_id,
        targetId: row.id,
        reason,
      });
      await this.deps.bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'everyone' }, message: { type: 'chat_deleted', id: row.id } });
      await notifyPerson(this.deps.bus, { eventId, userId: row.user_id, action: ModerationLogAction.deleteChat, reason, targetId: row.id });
    }
    return { id: row.id };
  }

  /** A ban's sweep: hides every message of one person and rejects their held ones; the ids of the hidden messages. */
  async removeAllOf(eventId: number, userId: number, actorId: number): Promise<number[]> {
    const rows = await ChatMessageRow.findAll({ attributes: ['id'], where: { event_id: eventId, user_id: userId, deleted_at: null } });
    const ids = rows.map((row) => row.id);
    if (ids.length > 0) await ChatMessageRow.update({ deleted_at: storedTime(this.deps.now()) }, { where: { id: ids } });
    await HeldChatRow.update({ status: 'rejected', decided_by: actorId }, { where: { event_id: eventId, user_id: userId, status: 'held' } });
    return ids;
  }

  private slowMode(seconds: number): RateLimiterAbstract {
    let limiter = this.slowModes.get(seconds);
    if (!limiter) {
      limiter = this.deps.makeLimiter({ keyPrefix: `chat_slow_${seconds}`, points: 1, duration: seconds });
      this.slowModes.set(seconds, limiter);
    }
    return limiter;
  }
}
