/**
 * Parsed JSON as plain data that a page's changes to `Object.prototype` cannot reach.
 *
 * A producer's page may have added properties or getters to `Object.prototype` (old
 * libraries, polyfills, or worse). Objects from `JSON.parse` inherit them: a frame without
 * `ref` then reads the page's `ref`, `'phone' in input` is true for a form that sent none,
 * and a throwing `then` getter rejects every promise resolved with a response. The copies made
 * here have no prototype, so a missing property reads `undefined` whatever the page did.
 */
export function ownData(value: unknown): unknown {
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
