import { CloseCode, ErrorCode } from '../protocol/codes.js';
import type { ErrorBody } from '../protocol/models.js';
import type { PrivacyNotice } from '../protocol/registration.js';
import type { ErrorMessage } from '../protocol/socket.js';
import { errorText, type Lang } from '../protocol/texts.js';

export interface PalcoErrorDetails {
  /** HTTP status; 0 when the error did not come from an HTTP response. */
  status?: number;
  fields?: Record<string, string>;
  /** Seconds to wait before trying again (rate_limited). */
  retryAfter?: number;
  /** Where to sign in instead (already_registered). */
  loginUrl?: string;
  /** The notice to show and accept before signing in again (consent_required). */
  privacyNotice?: PrivacyNotice;
}

/** Every failure the SDK reports: an HTTP error, a socket error, a timeout, a lost connection. */
export class PalcoError extends Error {
  override readonly name = 'PalcoError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields?: Record<string, string>;
  readonly retryAfter?: number;
  readonly loginUrl?: string;
  readonly privacyNotice?: PrivacyNotice;

  constructor(code: ErrorCode, message: string, details: PalcoErrorDetails = {}) {
    super(message);
    this.code = code;
    // Own properties only: a page's Object.prototype must not lend an error fields or a login link.
    const own = <K extends keyof PalcoErrorDetails>(key: K) => (Object.hasOwn(details, key) ? details[key] : undefined);
    this.status = own('status') ?? 0;
    const fields = own('fields');
    const retryAfter = own('retryAfter');
    const loginUrl = own('loginUrl');
    const privacyNotice = own('privacyNotice');
    if (fields) this.fields = fields;
    if (retryAfter !== undefined) this.retryAfter = retryAfter;
    if (loginUrl) this.loginUrl = loginUrl;
    if (privacyNotice) this.privacyNotice = privacyNotice;
  }
}

/** An error the client raises itself, worded in the client's language. */
export function localError(code: ErrorCode, lang: Lang): PalcoError {
  return new PalcoError(code, errorText(code, lang));
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).error === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}

/** Status codes a proxy answers with when the backend is down or restarting. */
const unavailableStatuses = new Set([502, 503, 504]);

function codeForBareStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.notAuthenticated;
  if (status === 403) return ErrorCode.forbidden;
  if (status === 404) return ErrorCode.notFound;
  if (status === 429) return ErrorCode.rateLimited;
  if (unavailableStatuses.has(status)) return ErrorCode.serviceUnavailable;
  return ErrorCode.internalError;
}

/** Builds the error of a failed HTTP response; `body` is its parsed JSON, if it had any. */
export function errorFromResponse(status: number, body: unknown, lang: Lang): PalcoError {
  if (!isErrorBody(body)) {
    const code = codeForBareStatus(status);
    return new PalcoError(code, errorText(code, lang), { status });
  }
  const details: PalcoErrorDetails = { status };
  if (body.fields) details.fields = body.fields;
  if (typeof body.retry_after === 'number') details.retryAfter = body.retry_after;
  if (body.login_url) details.loginUrl = body.login_url;
  if (body.privacy_notice) details.privacyNotice = body.privacy_notice;
  return new PalcoError(body.error, body.message, details);
}

export function errorFromSocketMessage(message: ErrorMessage): PalcoError {
  const details: PalcoErrorDetails = {};
  if (typeof message.retry_after === 'number') details.retryAfter = message.retry_after;
  if (message.fields) details.fields = message.fields;
  return new PalcoError(message.code, message.message, details);
}

const closeCodeErrors: Partial<Record<number, ErrorCode>> = {
  [CloseCode.notAuthenticated]: ErrorCode.notAuthenticated,
  [CloseCode.forbidden]: ErrorCode.forbidden,
  [CloseCode.eventNotFound]: ErrorCode.eventNotFound,
  [CloseCode.eventClosed]: ErrorCode.eventClosed,
  [CloseCode.originNotAllowed]: ErrorCode.originNotAllowed,
};

/** The error that explains why the server closed the socket for good. */
export function errorFromCloseCode(closeCode: number, reason: string, lang: Lang): PalcoError {
  const code = closeCodeErrors[closeCode] ?? ErrorCode.disconnected;
  return new PalcoError(code, reason || errorText(code, lang));
}
