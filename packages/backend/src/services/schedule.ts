import type { InferOutput } from 'valibot';
import { endsBeforeStart, SignInMethod, type EventCreateInput, type EventPatchInput } from '@palco/sdk/protocol';
import type { EventRow } from '../db/models.js';
import { invalidInput } from '../errors.js';

type ScheduleInput = Partial<
  Pick<
    InferOutput<typeof EventCreateInput> & InferOutput<typeof EventPatchInput>,
    | 'starts_at'
    | 'ends_at'
    | 'time_zone'
    | 'description'
    | 'replay_url'
    | 'on_demand_until'
    | 'replay_registration'
    | 'sign_in'
    | 'require_confirmation'
    | 'live'
  >
>;

const instant = (value: string | null) => (value == null ? null : new Date(value));

/**
 * Applies the journey fields of an admin create or PATCH to `event` (unsaved). `live: true`
 * starts the broadcast at `now` (ms) and opens the event; `live: false` takes a false start
 * back to scheduled. A PATCH of one end of the schedule is checked against the stored other
 * end: 422 `invalid_input` with `ends_at: ends_before_start`.
 *
 * `mailEnabled` false (PALCO_MAIL=off): nothing can reach an inbox, so a new event signs in
 * with its access code, and asking for `sign_in: link` or `require_confirmation` answers 422
 * `invalid_input` with `needs_mail` on that field: attendees could never come back or confirm.
 */
export function applySchedule(event: EventRow, input: ScheduleInput, now: number, mailEnabled = true) {
  if (!mailEnabled) {
    if (input.sign_in === SignInMethod.link) throw invalidInput({ sign_in: 'needs_mail' });
    if (input.require_confirmation === true) throw invalidInput({ require_confirmation: 'needs_mail' });
    if (event.isNewRecord && input.sign_in === undefined) event.sign_in = SignInMethod.accessCode;
  }
  if (input.starts_at !== undefined) event.starts_at = instant(input.starts_at);
  if (input.ends_at !== undefined) event.ends_at = instant(input.ends_at);
  if (endsBeforeStart(event.starts_at, event.ends_at)) throw invalidInput({ ends_at: 'ends_before_start' });
  if (input.time_zone !== undefined) event.time_zone = input.time_zone;
  if (input.description !== undefined) event.description = input.description || null;
  if (input.replay_url !== undefined) event.replay_url = input.replay_url;
  if (input.on_demand_until !== undefined) event.on_demand_until = instant(input.on_demand_until);
  if (input.replay_registration !== undefined) event.replay_registration = input.replay_registration;
  if (input.sign_in !== undefined) event.sign_in = input.sign_in;
  if (input.require_confirmation !== undefined) event.require_confirmation = input.require_confirmation;
  if (input.live === true) {
    event.live_at ??= new Date(now);
    event.is_active = true;
  } else if (input.live === false) {
    event.live_at = null;
  }
}
