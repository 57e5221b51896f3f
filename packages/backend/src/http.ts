import type { Context, Next } from 'koa';
import type { GenericSchema, InferOutput } from 'valibot';
import { ErrorCode, pickLang, validate, type Lang } from '@palco/sdk/protocol';
import { AppError, invalidInput } from './errors.js';

declare module 'koa' {
  interface DefaultState {
    lang: Lang;
  }
}

/** `?lang=` first, then the browser's Accept-Language; Spanish by default. */
export async function languageMiddleware(ctx: Context, next: Next) {
  const query = typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined;
  ctx.state.lang = pickLang(query, ctx.get('Accept-Language'));
  await next();
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(ctx: Context): string | null {
  const header = ctx.get('Authorization');
  return header.startsWith('Bearer ') ? header.slice(7).trim() || null : null;
}

/** Validates a request body at the edge; past this point code trusts the types. */
export function parseBody<S extends GenericSchema>(ctx: Context, schema: S): InferOutput<S> {
  // A body the parser skipped (XML, plain text) would otherwise read as an empty object.
  if (ctx.request.is('json', 'urlencoded') === false) throw new AppError(415, ErrorCode.unsupportedMediaType);
  const body: unknown = ctx.request.body ?? {};
  // valibot's object schemas accept arrays, so `[]` would pass as an empty PATCH.
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidInput({ _: 'invalid_type' });
  return parseInput(schema, body);
}

/**
 * Validates a body with `schema`, then with `more` (checks that need more than the body, such
 * as an event's own questions), and reports the problems of both at once: `refusal` makes the
 * error of them (422 `invalid_input` unless said otherwise).
 */
export function parseBodyWith<S extends GenericSchema>(
  ctx: Context,
  schema: S,
  more: (body: Record<string, unknown>, parsed: InferOutput<S> | null) => Record<string, string>,
  refusal: (problems: Record<string, string>) => AppError = invalidInput,
): InferOutput<S> {
  let parsed: InferOutput<S> | null = null;
  let problems: Record<string, string> = {};
  try {
    parsed = parseBody(ctx, schema);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== ErrorCode.invalidInput || !error.extra.fields) throw error;
    problems = { ...error.extra.fields };
  }
  const raw: unknown = ctx.request.body;
  const body = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  problems = { ...more(body, parsed), ...problems };
  if (Object.keys(problems).length > 0) throw refusal(problems);
  return parsed!;
}

export function parseQuery<S extends GenericSchema>(ctx: Context, schema: S): InferOutput<S> {
  return parseInput(schema, { ...ctx.query });
}

function parseInput<S extends GenericSchema>(schema: S, input: unknown): InferOutput<S> {
  const result = validate(schema, input);
  if (!result.ok) throw invalidInput(result.fields);
  return result.value;
}
