import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The one-click unsubscribe of a registration: its id signed with PALCO_SECRET, so the link
 * needs no stored token and cannot be forged for someone else's registration.
 */
export function unsubscribeSignature(secret: string, userId: number): string {
  return createHmac('sha256', secret).update(`unsubscribe:${userId}`).digest('base64url');
}

export function unsubscribeUrl(publicUrl: string, secret: string, slug: string, userId: number): string {
  return `${publicUrl}/e/${slug}/unsubscribe?u=${userId}&s=${unsubscribeSignature(secret, userId)}`;
}

/** The registration id of a valid signature, or null. */
export function verifyUnsubscribe(secret: string, user: unknown, signature: unknown): number | null {
  if (typeof user !== 'string' || !/^\d{1,15}$/.test(user) || typeof signature !== 'string') return null;
  const id = Number(user);
  const expected = Buffer.from(unsubscribeSignature(secret, id));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : null;
}
