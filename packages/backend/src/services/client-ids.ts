import { UniqueConstraintError } from 'sequelize';
import { invalidInput } from '../errors.js';

/** The row a user stored under a client id, or null. */
export type FindByClientId<R> = (where: { user_id: number; client_id: string }) => Promise<R | null>;

export interface StoredOnce<R> {
  row: R;
  /** False when the row was stored earlier under the same client id: nothing to announce. */
  isNew: boolean;
}

/**
 * Stores a user's row in event `eventId` once per client id (`cid`): a resend of one already
 * stored, or one that races it into the unique (user_id, client_id) index, gets the stored row
 * back, and `store` (which charges the rate limits) runs only for a new one. Without a client
 * id every call stores. `find` reads a stored row: a model's findOne, or a batched lookup.
 * The index is per user, and an administrator is one user in every event: a cid already stored
 * in another event is refused (422 `invalid_input`, `cid: cid_in_other_event`) instead of
 * answering, and broadcasting here, a row of that other event.
 */
export async function storeOnce<R extends { event_id: number }>(
  find: FindByClientId<R>,
  userId: number,
  eventId: number,
  clientId: string | undefined,
  store: () => Promise<R>,
): Promise<StoredOnce<R>> {
  if (clientId === undefined) return { row: await store(), isNew: true };
  const where = { user_id: userId, client_id: clientId };
  const ofThisEvent = (row: R) => {
    if (row.event_id !== eventId) throw invalidInput({ cid: 'cid_in_other_event' });
    return { row, isNew: false };
  };
  const earlier = await find(where);
  if (earlier) return ofThisEvent(earlier);
  try {
    return { row: await store(), isNew: true };
  } catch (error) {
    if (!(error instanceof UniqueConstraintError)) throw error;
    const racer = await find(where);
    if (!racer) throw error;
    return ofThisEvent(racer);
  }
}
