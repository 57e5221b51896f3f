import { ModerationAction, ModerationLogAction, type ModerationFlag } from '@palco/sdk/protocol';
import type { EventBus } from '../bus/bus.js';
import { ModerationActionRow } from '../db/models.js';

export function flagAction(flag: ModerationFlag, value: boolean): ModerationLogAction {
  switch (flag) {
    case ModerationAction.blockChat:
      return value ? ModerationLogAction.blockChat : ModerationLogAction.unblockChat;
    case ModerationAction.blockQuestions:
      return value ? ModerationLogAction.blockQuestions : ModerationLogAction.unblockQuestions;
    default:
      return value ? ModerationLogAction.ban : ModerationLogAction.unban;
  }
}

export interface ModerationRecord {
  eventId: number;
  /** null when Palco itself acted (a message held by the word filter). */
  actorId: number | null;
  action: ModerationLogAction;
  targetUserId?: number | null;
  targetId?: number | null;
  /** The moderator's reason, shown to the person concerned. */
  reason?: string | null;
  /** What changed (see ModerationLogAction). */
  detail?: string | null;
}

export async function recordModeration(record: ModerationRecord) {
  await ModerationActionRow.create({
    event_id: record.eventId,
    actor_id: record.actorId,
    action: record.action,
    target_user_id: record.targetUserId ?? null,
    target_id: record.targetId ?? null,
    reason: record.reason ?? null,
    detail: record.detail ?? null,
  });
}

export interface Notice {
  eventId: number;
  userId: number;
  action: ModerationLogAction;
  reason?: string | null;
  targetId?: number | null;
  until?: string | null;
}

/** Tells the person a moderator acted on what was done and why (`moderation_notice`). */
export function notifyPerson(bus: EventBus, notice: Notice) {
  return bus.publish({
    kind: 'broadcast',
    eventId: notice.eventId,
    audience: { kind: 'user', userId: notice.userId },
    message: {
      type: 'moderation_notice',
      action: notice.action,
      reason: notice.reason ?? null,
      target_id: notice.targetId ?? null,
      until: notice.until ?? null,
    },
  });
}
