import type { Context, Next } from 'koa';
import { ErrorCode, errorText, fieldProblemText, type ErrorBody, type Lang } from '@palco/sdk/protocol';
import type { Logger } from './log.js';

/** An error meant for the client: its code, status and extra fields go out as they are. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly extra: Omit<ErrorBody, 'error' | 'message'> = {},
    message?: string,
  ) {
    super(message ?? code);
  }
}

export function invalidInput(fields: Record<string, string>): AppError {
  return new AppError(422, ErrorCode.invalidInput, { fields });
}

const connectionErrors = new Set([
  'SequelizeConnectionError',
  'SequelizeConnectionRefusedError',
  'SequelizeConnectionAcquireTimeoutError',
  'SequelizeConnectionTimedOutError',
  'SequelizeHostNotReachableError',
  'SequelizeHostNotFoundError',
]);

/** Driver codes of a connection that broke while a query ran on it (the server went away). */
const lostConnectionCodes = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_CONNECTION_KILLED',
]);

/** Seconds a client is told to wait while the database is unreachable. */
export const databaseRetryAfterSeconds = 5;

/** True when the database could not be reached, as opposed to a query that was wrong. */
export function isDatabaseUnreachable(error: unknown): boolean {
  const named = error as { name?: string; parent?: { code?: string }; original?: { code?: string } };
  if (named?.name && connectionErrors.has(named.name)) return true;
  const code = named?.parent?.code ?? named?.original?.code;
  return named?.name === 'SequelizeDatabaseError' && code !== undefined && lostConnectionCodes.has(code);
}

/** Status, code and extras for anything thrown below the error middleware. */
export function describeError(error: unknown): { status: number; code: ErrorCode; extra: AppError['extra'] } {
  if (error instanceof AppError) return { status: error.status, code: error.code, extra: error.extra };
  const named = error as { name?: string; status?: number; type?: string };
  if (isDatabaseUnreachable(error)) {
    return { status: 503, code: ErrorCode.serviceUnavailable, extra: { retry_after: databaseRetryAfterSeconds } };
  }
  if (named.name === 'SequelizeDatabaseError' && /SQLITE_BUSY|Lock wait timeout/.test(String(error))) {
    return { status: 503, code: ErrorCode.serviceUnavailable, extra: { retry_after: 1 } };
  }
  // Errors koa and the body parser raise for bad requests carry their status.
  switch (named.status) {
    case 400:
      return { status: 400, code: ErrorCode.malformedJson, extra: {} };
    case 404:
      return { status: 404, code: ErrorCode.notFound, extra: {} };
    case 413:
      return { status: 413, code: ErrorCode.payloadTooLarge, extra: {} };
    case 415:
      return { status: 415, code: ErrorCode.unsupportedMediaType, extra: {} };
    default:
      return { status: 500, code: ErrorCode.internalError, extra: {} };
  }
}

/** Turns the extras of an error into the language of the request. */
export function errorBody(code: ErrorCode, extra: AppError['extra'], lang: Lang): ErrorBody {
  const body: ErrorBody = { error: code, message: errorText(code, lang), ...extra };
  if (extra.fields) {
    body.fields = Object.fromEntries(
      Object.entries(extra.fields).map(([field, problem]) => [field, fieldProblemText(problem, lang)]),
    );
  }
  return body;
}

/** The one place that writes error responses: every error becomes `{error, message}`. */
export function errorMiddleware(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.body == null) {
        if (ctx.status === 404) throw new AppError(404, ErrorCode.notFound);
        // The routers' allowedMethods() answer a known path with another method this way.
        if (ctx.status === 405 || ctx.status === 501) throw new AppError(ctx.status, ErrorCode.methodNotAllowed);
      }
    } catch (error) {
      const { status, code, extra } = describeError(error);
      if (isDatabaseUnreachable(error)) logUnavailable(logger, error);
      else if (status >= 500) logger.error({ err: error, path: ctx.path, method: ctx.method }, 'request failed');
      ctx.status = status;
      if (extra.retry_after) ctx.set('Retry-After', String(extra.retry_after));
      const body = errorBody(code, extra, ctx.state.lang);
      if (ctx.state.renderError) {
        ctx.state.renderError(body);
        ctx.status = status;
      } else {
        ctx.body = body;
      }
    }
  };
}

let lastUnavailableLog = 0;

/** While the database is away every request fails the same way: one line every few seconds is enough. */
export function logUnavailable(logger: Logger, error: unknown) {
  const now = Date.now();
  if (now - lastUnavailableLog < databaseRetryAfterSeconds * 1000) return;
  lastUnavailableLog = now;
  logger.warn({ err: (error as Error)?.message }, 'database unreachable: answering 503 service_unavailable');
}
