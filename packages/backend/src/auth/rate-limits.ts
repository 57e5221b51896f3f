import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ErrorCode } from '@palco/sdk/protocol';
import type { RateLimitSettings } from '../config.js';
import { AppError } from '../errors.js';
import { addressKey } from './address-key.js';

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  /** Seconds. */
  duration: number;
}

/** Makes a limiter; in-process by default, shared through Redis when the server has it. */
export type LimiterFactory = (options: LimiterOptions) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

/**
 * Limits shared by every process through Redis. While Redis is away each process
 * falls back to its own in-memory count (the insurance limiter) instead of failing.
 */
export function redisLimiters(client: Redis, prefix: string): LimiterFactory {
  return (options) =>
    new RateLimiterRedis({
      ...options,
      storeClient: client,
      keyPrefix: `${prefix}:rl:${options.keyPrefix}`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
}

export function rateLimited(retryAfterMs: number): AppError {
  return new AppError(429, ErrorCode.rateLimited, { retry_after: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
}

/** Runs a consume and turns a refusal into a 429 with how long to wait. */
export async function consumeOrThrow(limiter: RateLimiterAbstract, key: string, points = 1) {
  try {
    await limiter.consume(key, points);
  } catch (refusal) {
    if (refusal instanceof RateLimiterRes) throw rateLimited(refusal.msBeforeNext);
    throw refusal;
  }
}

/**
 * Charges one point on each limiter, then runs `work`; if the work fails (the database was
 * away, say) the points are given back: what was not done does not count against the sender,
 * who is about to send it again.
 */
export async function chargedFor<T>(charges: Array<[RateLimiterAbstract, string]>, work: () => Promise<T>): Promise<T> {
  const charged: Array<[RateLimiterAbstract, string]> = [];
  try {
    for (const [limiter, key] of charges) {
      await consumeOrThrow(limiter, key);
      charged.push([limiter, key]);
    }
    return await work();
  } catch (error) {
    await Promise.allSettled(charged.map(([limiter, key]) => limiter.reward(key, 1)));
    throw error;
  }
}

const maxLockoutSeconds = 24 * 3600;

/**
 * Sign-in and registration limits: strict per account (a handful of failures, then a
 * lockout that doubles each time), generous per IP address (an office shares one; an IPv6
 * address counts as its /64, see addressKey).
 */
export class AuthLimits {
  private readonly failuresByAccount: RateLimiterAbstract;
  private readonly lockoutsByAccount: RateLimiterAbstract;
  private readonly failuresByIp: RateLimiterAbstract;
  private readonly registrationsByIp: RateLimiterAbstract;
  private readonly registrationsByEmail: RateLimiterAbstract;
  private readonly signInLinksByEmail: RateLimiterAbstract;

  constructor(
    private readonly settings: RateLimitSettings,
    makeLimiter: LimiterFactory,
  ) {
    this.failuresByAccount = makeLimiter({ keyPrefix: 'login_fail_account', points: settings.loginFailuresPerAccount, duration: 15 * 60 });
    this.lockoutsByAccount = makeLimiter({ keyPrefix: 'login_lockouts', points: 1000, duration: 24 * 3600 });
    this.failuresByIp = makeLimiter({ keyPrefix: 'login_fail_ip', points: settings.loginFailuresPerIp, duration: 15 * 60 });
    this.registrationsByIp = makeLimiter({ keyPrefix: 'register_ip', points: settings.registrationsPerIp, duration: 10 * 60 });
    this.registrationsByEmail = makeLimiter({ keyPrefix: 'register_email', points: settings.registrationsPerEmail, duration: 3600 });
    this.signInLinksByEmail = makeLimiter({ keyPrefix: 'sign_in_link_email', points: settings.signInLinksPerEmail, duration: 3600 });
  }

  /**
   * Charges one sign-in link for `emailKey` (`{eventId}:{email}`): 429 past
   * `signInLinksPerEmail` an hour. Every path that mails a link to an address (asking for
   * one, registering an address already registered) spends from this one count.
   */
  async beforeSignInLink(emailKey: string) {
    await consumeOrThrow(this.signInLinksByEmail, emailKey);
  }

  /** Like beforeSignInLink, for a path that must not say it was refused: false when spent. */
  async maySendSignInLink(emailKey: string): Promise<boolean> {
    try {
      await this.signInLinksByEmail.consume(emailKey);
      return true;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return false;
      throw refusal;
    }
  }

  /** Refuses a sign-in attempt while the account or the address is locked out. */
  async beforeLogin(ip: string, account: string) {
    const [byAccount, byIp] = await Promise.all([this.failuresByAccount.get(account), this.failuresByIp.get(addressKey(ip))]);
    const blocked = [
      byAccount && byAccount.consumedPoints >= this.settings.loginFailuresPerAccount ? byAccount.msBeforeNext : 0,
      byIp && byIp.consumedPoints >= this.settings.loginFailuresPerIp ? byIp.msBeforeNext : 0,
    ];
    const wait = Math.max(...blocked);
    if (wait > 0) throw rateLimited(wait);
  }

  async loginFailed(ip: string, account: string) {
    await this.failuresByIp.penalty(addressKey(ip));
    const result = await this.failuresByAccount.penalty(account);
    if (result.consumedPoints >= this.settings.loginFailuresPerAccount) {
      const lockouts = (await this.lockoutsByAccount.penalty(account)).consumedPoints;
      const seconds = Math.min(maxLockoutSeconds, this.settings.loginLockoutSeconds * 2 ** (lockouts - 1));
      await this.failuresByAccount.block(account, seconds);
    }
  }

  async loginSucceeded(account: string) {
    await this.failuresByAccount.delete(account);
  }

  async beforeRegistration(ip: string, emailKey: string) {
    await consumeOrThrow(this.registrationsByIp, addressKey(ip));
    await consumeOrThrow(this.registrationsByEmail, emailKey);
  }
}
