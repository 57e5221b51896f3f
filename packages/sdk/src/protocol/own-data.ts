/**
 * Parsed JSON as plain data that a page's changes to `Object.prototype` cannot reach.
 *
 * A producer's page may have added properties or getters to `Object.prototype` (old
 * libraries, polyfills, or worse). Objects from `JSON.parse` inherit them: a frame without
 * `ref` then reads the page's `ref`, `'phone' in input` is true for a form that sent none,
 * and a throwing `then` getter rejects every promise resolved with a response. The copies made
 * here have no prototype, so a missing property reads `undefined` whatever the page did.
 *
 * JSON holds no Date, yet a page may have replaced `JSON.parse` with one that revives ISO
 * strings as dates (json.date-extensions' `JSON.useDateParser()` and its kin). Copied as an
 * object, such a date became `{}`, which `new Date()` cannot read: it goes back to the text the
 * server wrote (its ISO form, as `writeOwnJson` writes a Date).
 */
export function ownData(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : Date.prototype.toISOString.call(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (let index = 0; index < value.length; index += 1) copy.push(ownData(value[index]));
    return copy;
  }
  if (value === null || typeof value !== 'object') return value;
  const copy = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) copy[key] = ownData((value as Record<string, unknown>)[key]);
  return copy;
}

/** `JSON.parse` (no reviver) whose objects have no prototype (see `ownData`); throws a SyntaxError like it. */
export function parseOwnJson(text: string): unknown {
  return ownData(JSON.parse(text));
}

const sealed = new WeakSet<object>();

/**
 * Gives every object schema in `schema`'s tree entries without a prototype, once per schema.
 * valibot walks an object schema's entries with `for…in`, which also visits what a page added
 * to Object.prototype by assignment (`Object.prototype.type = 'x'` is enumerable): each such
 * name became a required field no form could fill.
 */
export function sealSchema<S>(schema: S): S {
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || sealed.has(node)) return;
    sealed.add(node);
    const record = node as Record<string, unknown>;
    if (Array.isArray(node)) return node.forEach(visit);
    if (Object.hasOwn(record, 'entries') && record.entries !== null && typeof record.entries === 'object') {
      const entries = Object.create(null) as Record<string, unknown>;
      for (const key of Object.keys(record.entries)) entries[key] = (record.entries as Record<string, unknown>)[key];
      record.entries = entries;
      Object.values(entries).forEach(visit);
    }
    for (const key of ['wrapped', 'item', 'options', 'pipe', 'key', 'value', 'rest', 'items']) {
      if (Object.hasOwn(record, key)) visit(record[key]);
    }
  };
  visit(schema);
  return schema;
}

/** A JSON string's quotes and escapes, as JSON.stringify writes them (a lone surrogate escaped, a pair kept). */
function writeString(text: string): string {
  let out = '"';
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[index]! + text[index + 1]!;
        index += 1;
        continue;
      }
    }
    if (code === 0x22) out += '\\"';
    else if (code === 0x5c) out += '\\\\';
    else if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += text[index];
  }
  return `${out}"`;
}

/**
 * Plain data (objects, arrays, strings, finite numbers, booleans, null) as JSON text, written
 * without `JSON.stringify`, which calls any `toJSON` it finds on the way. Prototype.js and its
 * kin put `toJSON` on `Array.prototype` (each array became a string: `"[1, 2]"`) or on
 * `Object.prototype`, and a page may replace `JSON.stringify` itself; frames and request bodies
 * written here are the same whatever the page did. Like `JSON.stringify`: own enumerable keys
 * only, `undefined` and functions left out of objects and written `null` in arrays, non-finite
 * numbers `null`; a Date as its ISO text.
 */
export function writeOwnJson(value: unknown): string {
  return writeValue(value, true) ?? 'null';
}

function writeValue(value: unknown, inArray: boolean): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return writeString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return inArray ? 'null' : undefined;
  }
  if (value instanceof Date) return writeString(Date.prototype.toISOString.call(value));
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (let index = 0; index < value.length; index += 1) items.push(writeValue(value[index], true)!);
    return `[${items.join(',')}]`;
  }
  const entries: string[] = [];
  for (const key of Object.keys(value)) {
    const written = writeValue((value as Record<string, unknown>)[key], false);
    if (written !== undefined) entries.push(`${writeString(key)}:${written}`);
  }
  return `{${entries.join(',')}}`;
}
