import { UniqueConstraintError } from 'sequelize';

/** The row a user stored under a client id, or null. */
export type FindByClientId<R> = (where: { user_id: number; client_id: string }) => Promise<R | null>;

export interface StoredOnce<R> {
  row: R;
  /** False when the row was stored earlier under the same client id: nothing to announce. */
  isNew: boolean;
}

/**
 * Stores a user's row once per client id (`cid`): a resend of one already stored, or one
 * that races it into the unique (user_id, client_id) index, gets the stored row back, and
 * `store` (which charges the rate limits) runs only for a new one. Without a client id
 * every call stores. `find` reads a stored row: a model's findOne, or a batched lookup.
 */
export async function storeOnce<R>(
  find: FindByClientId<R>,
  userId: number,
  clientId: string | undefined,
  store: () => Promise<R>,
): Promise<StoredOnce<R>> {
  if (clientId === undefined) return { row: await store(), isNew: true };
  const where = { user_id: userId, client_id: clientId };
  const earlier = await find(where);
  if (earlier) return { row: earlier, isNew: false };
  try {
    return { row: await store(), isNew: true };
  } catch (error) {
    if (!(error instanceof UniqueConstraintError)) throw error;
    const racer = await find(where);
    if (!racer) throw error;
    return { row: racer, isNew: false };
  }
}
