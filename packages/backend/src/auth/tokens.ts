import { createSecretKey, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Role } from '@palco/sdk/protocol';

export interface SessionClaims {
  /** User id. */
  sub: string;
  /** Event id; null for global administrators. */
  eid: number | null;
  role: Role;
  /** The user's token_version when the token was issued; a bump revokes it. */
  tv: number;
}

/** The claims of a token that verified, with when it stops being valid. */
export interface VerifiedClaims extends SessionClaims {
  /** Seconds since the epoch. */
  exp: number;
}

export interface TokenService {
  issue(claims: SessionClaims): string;
  /** The claims of a valid token, or null for anything else (tampered, expired, other algorithm). */
  verify(token: string): VerifiedClaims | null;
  ttlSeconds: number;
}

export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  // Given a string, jsonwebtoken first tries it as a PEM key and builds a throw-away error on
  // every sign and verify; a key object made once skips that (a sixth of a join storm's CPU).
  const key = createSecretKey(Buffer.from(secret));
  return {
    ttlSeconds,
    // A fresh jwtid makes every sign-in a new token, even within the same second.
    issue: (claims) => jwt.sign(claims, key, { algorithm: 'HS256', expiresIn: ttlSeconds, jwtid: randomUUID() }),
    verify(token) {
      try {
        // maxAge counts from the issue time, so shortening PALCO_SESSION_TTL_SECONDS also
        // shortens the sessions already handed out; a token without exp or iat never passes.
        const payload = jwt.verify(token, key, { algorithms: ['HS256'], maxAge: ttlSeconds });
        if (typeof payload !== 'object' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return null;
        const { sub, eid, role, tv } = payload as Partial<SessionClaims>;
        if (typeof role !== 'string' || typeof tv !== 'number' || (eid !== null && typeof eid !== 'number')) return null;
        return { sub: sub!, eid: eid as number | null, role, tv, exp: payload.exp };
      } catch {
        return null;
      }
    },
  };
}
