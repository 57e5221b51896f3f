import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { Op } from 'sequelize';
import { ErrorCode, isModeratorRole, ModerationLogAction, Role, type ChatMessage } from '@palco/sdk/protocol';
import { chargedFor } from '../auth/rate-limits.js';
import type { AppDeps } from '../context.js';
import { ChatMessageRow } from '../db/models.js';
import { AppError } from '../errors.js';
import type { Member } from './member.js';
import { storeOnce } from './client-ids.js';
import { recordModeration } from './moderation-log.js';
import { toChatMessage } from './serialize.js';
import { storedTime } from './stored-time.js';

export type ChatDeps = Pick<AppDeps, 'bus' | 'makeLimiter' | 'config' | 'events' | 'now'>;

/** Chat of one event: the message is stored before anyone is told about it. */
export class ChatService {
  private readonly perTenSeconds: RateLimiterAbstract;
  /** One limiter per slow-mode interval in use (1 message per N seconds). */
  private readonly slowModes = new Map<number, RateLimiterAbstract>();

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
   * Stores and broadcasts a message. With a client id (`cid`) a resend of a message already
   * stored answers with that message, without a new row or charge, and broadcasts it again:
   * its first broadcast may have died with the process that stored it, and clients drop the
   * ids they already have. An attendee's slow mode is read from the event cache, which
   * forgets the event when a change is announced on the bus.
   */
  async post(eventId: number, member: Member, text: string, clientId?: string): Promise<ChatMessage> {
    const { row, isNew } = await storeOnce<ChatMessageRow>(ChatMessageRow, member.id, clientId, async () => {
      if (member.chat_blocked) throw new AppError(403, ErrorCode.chatBlocked);
      const charges: Array<[RateLimiterAbstract, string]> = [];
      if (member.role === Role.attendee) {
        const key = `${eventId}:${member.id}`;
        const slowModeSeconds = (await this.deps.events.byId(eventId))?.slow_mode_seconds ?? 0;
        if (slowModeSeconds > 0) charges.push([this.slowMode(slowModeSeconds), key]);
        charges.push([this.perTenSeconds, key]);
      }
      return chargedFor(charges, () =>
        ChatMessageRow.create({
          user_id: member.id,
          user_name: member.name,
          message: text,
          event_id: eventId,
          created_at: storedTime(this.deps.now()),
          deleted_at: null,
          client_id: clientId ?? null,
        }),
      );
    });
    const chat = toChatMessage(row);
    if (isNew || row.deleted_at == null) {
      await this.deps.bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'everyone' }, message: { type: 'chat', ...chat } });
    }
    return chat;
  }

  /** Hides a message from everyone's screen and from history; deleting it twice changes nothing. */
  async remove(eventId: number, member: Member, messageId: number): Promise<{ id: number }> {
    if (!isModeratorRole(member.role)) throw new AppError(403, ErrorCode.forbidden);
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
      });
      await this.deps.bus.publish({ kind: 'broadcast', eventId, audience: { kind: 'everyone' }, message: { type: 'chat_deleted', id: row.id } });
    }
    return { id: row.id };
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
