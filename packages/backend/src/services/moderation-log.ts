import { ModerationAction, ModerationLogAction, type ModerationFlag } from '@palco/sdk/protocol';
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
  actorId: number;
  action: ModerationLogAction;
  targetUserId?: number | null;
  targetId?: number | null;
}

export async function recordModeration(record: ModerationRecord) {
  await ModerationActionRow.create({
    event_id: record.eventId,
    actor_id: record.actorId,
    action: record.action,
    target_user_id: record.targetUserId ?? null,
    target_id: record.targetId ?? null,
  });
}
