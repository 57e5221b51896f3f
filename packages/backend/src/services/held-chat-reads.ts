import { Op } from 'sequelize';
import type { HeldChat } from '@palco/sdk/protocol';
import { Batcher } from '../db/batcher.js';
import { HeldChatRow } from '../db/models.js';
import { toHeldChat } from './serialize.js';

/** Whose held messages a newcomer's welcome lists: every one of the event for a moderator, their own otherwise. */
export interface HeldChatWanted {
  eventId: number;
  userId: number;
  moderator: boolean;
}

/** The columns the choice needs, as a row carries them. */
export interface HeldRowKey {
  id: number;
  event_id: number;
  user_id: number;
}

/** Newcomers per read, well under both databases' limits on placeholders. */
const maxReadsPerQuery = 200;

/**
 * The rows of `rows` (held messages of several events) that each of `wanted` sees, each list
 * in id order. Pure: the batched read below and its test share it.
 */
export function heldRowsFor<Row extends HeldRowKey>(rows: readonly Row[], wanted: readonly HeldChatWanted[]): Row[][] {
  const sorted = [...rows].sort((a, b) => a.id - b.id);
  return wanted.map(({ eventId, userId, moderator }) => sorted.filter((row) => row.event_id === eventId && (moderator || row.user_id === userId)));
}

/**
 * The held chat messages of each newcomer's welcome (`held`): sockets admitted together cost
 * one query, `status = 'held'` on the (event_id, status) index, as the votes do (voteReads).
 */
export function heldChatReads(): Batcher<HeldChatWanted, HeldChat[]> {
  return new Batcher(async (wanted) => {
    const events = [...new Set(wanted.map((one) => one.eventId))];
    const moderated = [...new Set(wanted.filter((one) => one.moderator).map((one) => one.eventId))];
    const users = [...new Set(wanted.filter((one) => !one.moderator).map((one) => one.userId))];
    const whose = [
      ...(moderated.length > 0 ? [{ event_id: { [Op.in]: moderated } }] : []),
      ...(users.length > 0 ? [{ user_id: { [Op.in]: users } }] : []),
    ];
    const rows = await HeldChatRow.findAll({ where: { event_id: { [Op.in]: events }, status: 'held', [Op.or]: whose } });
    return heldRowsFor(rows, wanted).map((mine) => ({ status: 'fulfilled', value: mine.map(toHeldChat) }));
  }, maxReadsPerQuery);
}
