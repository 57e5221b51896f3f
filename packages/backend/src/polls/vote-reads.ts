import { Op } from 'sequelize';
import type { PollVote } from '@palco/sdk/protocol';
import { Batcher } from '../db/batcher.js';
import { PollVoteRow } from '../db/models.js';
import { toPollVote } from './poll-service.js';

export interface PollVotesWanted {
  eventId: number;
  userId: number;
}

/** Attendees per read, well under both databases' limits on placeholders. */
const maxReadsPerQuery = 200;

/**
 * Each newcomer's own poll answers, for the welcome's `my_votes`: attendees who connect
 * together cost one query.
 */
export function pollVoteReads(): Batcher<PollVotesWanted, PollVote[]> {
  return new Batcher(async (wanted) => {
    const rows = await PollVoteRow.findAll({
      where: {
        event_id: { [Op.in]: [...new Set(wanted.map((one) => one.eventId))] },
        user_id: { [Op.in]: [...new Set(wanted.map((one) => one.userId))] },
      },
      order: [['id', 'ASC']],
    });
    return wanted.map(({ eventId, userId }) => ({
      status: 'fulfilled',
      value: rows.filter((row) => row.event_id === eventId && row.user_id === userId).map(toPollVote),
    }));
  }, maxReadsPerQuery);
}
