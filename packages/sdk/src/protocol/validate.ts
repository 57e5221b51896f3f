import * as v from 'valibot';
import { ownData, sealSchema } from './own-data.js';

export interface ValidationFailure {
  ok: false;
  /** Field path ("email", "allowed_origins.2") → problem key ("required", "too_long", …). */
  fields: Record<string, string>;
}
export interface ValidationSuccess<T> {
  ok: true;
  value: T;
}

/**
 * Runs a schema and reports problems per field, first problem of each field only. The input is
 * read as own data (ownData) and the schema's entries are sealed (sealSchema): valibot asks
 * `key in input` and walks entries with `for…in`, which a page's `Object.prototype` would
 * otherwise answer for every optional field the input lacks and join with fields of its own.
 */
export function validate<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): ValidationSuccess<v.InferOutput<S>> | ValidationFailure {
  const result = v.safeParse(sealSchema(schema), ownData(input), { abortPipeEarly: true });
  if (result.success) return { ok: true, value: result.output };
  const fields: Record<string, string> = {};
  for (const issue of result.issues) {
    const path = v.getDotPath(issue) ?? '_';
    fields[path] ??= issue.message;
  }
  return { ok: false, fields };
}
