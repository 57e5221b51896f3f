import {
  ClientMessageSchema,
  ErrorCode,
  errorText,
  fieldProblemText,
  validate,
  type ErrorMessage,
  type Lang,
  type ParsedClientMessage,
} from '@palco/sdk/protocol';

/** A frame that failed keeps its `type` when that was a string, so `auth` can be told apart. */
export type ParsedFrame = { ok: true; message: ParsedClientMessage } | { ok: false; error: ErrorMessage; type?: string };

type Ref = string | number;

/** The `ref` of a frame that failed validation, when it is itself valid, so the error can name it. */
function refOf(input: unknown): Ref | undefined {
  if (typeof input !== 'object' || input === null || !('ref' in input)) return undefined;
  const { ref } = input as { ref: unknown };
  if (typeof ref === 'string' && ref.length <= 64) return ref;
  if (typeof ref === 'number' && Number.isSafeInteger(ref)) return ref;
  return undefined;
}

/** An `error` frame in the socket's language; undefined extras vanish when serialized. */
export function errorMessage(
  code: ErrorCode,
  lang: Lang,
  extra: Pick<ErrorMessage, 'ref' | 'retry_after' | 'fields'> = {},
): ErrorMessage {
  return { type: 'error', code, message: errorText(code, lang), ...extra };
}

/** A schema names a missing key with its own sentence; the texts call it "required". */
const problemKey = (problem: string) => (problem.startsWith('Invalid key') ? 'required' : problem);

/** Parses and validates one client frame at the edge; past here the code trusts the types. */
export function parseClientFrame(data: Buffer | ArrayBuffer | Buffer[], lang: Lang): ParsedFrame {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  const text = bytes.toString('utf8');
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return { ok: false, error: errorMessage(ErrorCode.malformedJson, lang) };
  }
  const result = validate(ClientMessageSchema, input);
  if (result.ok) return { ok: true, message: result.value };
  const ref = refOf(input);
  if (Object.values(result.fields).includes('unknown_type')) {
    return { ok: false, error: errorMessage(ErrorCode.unknownType, lang, { ref }) };
  }
  const fields = Object.fromEntries(
    Object.entries(result.fields).map(([field, problem]) => [field, fieldProblemText(problemKey(problem), lang)]),
  );
  const { type } = input as { type: unknown };
  return { ok: false, error: errorMessage(ErrorCode.invalidInput, lang, { ref, fields }), ...(typeof type === 'string' ? { type } : {}) };
}

/**
 * Frames a socket may send in one second that are answered with an error (malformed, unknown,
 * invalid, or anything but `auth` before it is admitted). No client of ours sends more than a
 * few; past this the socket is closed (1008) rather than answered frame by frame, well before
 * its frame budget (1 000) runs out.
 */
export const maxRefusedFramesPerSecond = 100;

/** A socket's count of refused frames in its current one-second window. */
export interface RefusedTally {
  refusedFrames: number;
  /** When the window began, in ms (performance.now()). */
  refusedSince: number;
}

/** Counts one refused frame at `now` (ms); false once the socket is past the limit. */
export function countRefused(tally: RefusedTally, now: number): boolean {
  if (now - tally.refusedSince >= 1_000) {
    tally.refusedSince = now;
    tally.refusedFrames = 0;
  }
  tally.refusedFrames += 1;
  return tally.refusedFrames <= maxRefusedFramesPerSecond;
}
