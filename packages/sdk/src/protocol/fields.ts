import * as v from 'valibot';

// Fields every client message may share, defined once for socket.ts and polls.ts.

/** A request's own reference, echoed in its ack or error. */
export const ref = v.optional(
  v.union([v.pipe(v.string(), v.maxLength(64, 'invalid_ref')), v.pipe(v.number(), v.safeInteger('invalid_ref'))], 'invalid_ref'),
);

/** The id of a stored item: a whole number from 1. */
export const id = v.pipe(v.number('invalid_type'), v.safeInteger('invalid_type'), v.minValue(1, 'invalid_type'));
