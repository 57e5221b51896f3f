import * as v from 'valibot';
import { QuestionStatus, Role } from './codes.js';
import { personName } from './human-text.js';
import { signInMethods } from './journey.js';
import { Limits } from './limits.js';
import { BlockedWordsAction } from './models.js';
import { PrivacyNoticeSchema, RegistrationFieldsSchema } from './registration.js';
import { videoKinds, videoUrlProblem } from './video-links.js';
import { webhookTopics } from './webhooks.js';

/**
 * Schemas of every HTTP body. Their messages are field-problem keys
 * (see `fieldProblemText`), translated where they are shown.
 */

const requiredText = (max: number) =>
  v.pipe(
    v.string('invalid_type'),
    v.trim(),
    v.nonEmpty('required'),
    v.maxLength(max, 'too_long'),
  );

const optionalText = (max: number) =>
  v.optional(
    v.nullable(v.pipe(v.string('invalid_type'), v.trim(), v.maxLength(max, 'too_long'))),
  );

export const emailSchema = v.pipe(
  v.string('invalid_type'),
  v.trim(),
  v.nonEmpty('required'),
  v.maxLength(Limits.emailMax, 'too_long'),
  v.email('invalid_email'),
  v.toLowerCase(),
);

const domainSchema = v.pipe(
  v.string('invalid_type'),
  v.trim(),
  v.toLowerCase(),
  v.regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'invalid_domain'),
);

const originSchema = v.pipe(
  v.string('invalid_type'),
  v.trim(),
  v.maxLength(Limits.urlMax, 'too_long'),
  v.regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'invalid_origin'),
  v.toLowerCase(),
);

const urlText = v.pipe(
  v.string('invalid_type'),
  v.trim(),
  v.maxLength(Limits.urlMax, 'too_long'),
  v.check((value) => value === '' || /^(https?:\/\/|\/)/i.test(value), 'invalid_url'),
);
const emptyAsNull = v.transform((value: string) => (value === '' ? null : value));

const urlSchema = v.optional(v.nullable(v.pipe(urlText, emptyAsNull)));

/** A video URL the player can play; a YouTube @handle needs the channel's UC… address instead. */
const videoUrlSchema = v.optional(
  v.nullable(
    v.pipe(
      urlText,
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed) return;
        const problem = videoUrlProblem(dataset.value);
        if (problem) addIssue({ message: problem });
      }),
      emptyAsNull,
    ),
  ),
);

export const slugSchema = v.pipe(
  v.string('invalid_type'),
  v.trim(),
  v.toLowerCase(),
  v.regex(Limits.slugPattern, 'invalid_slug'),
);

const passwordSchema = v.pipe(
  v.string('invalid_type'),
  v.minLength(Limits.passwordMin, 'too_short'),
  v.maxLength(Limits.passwordMax, 'too_long'),
);

const phoneSchema = v.pipe(
  v.string('invalid_type'),
  v.trim(),
  v.maxLength(Limits.phoneMax, 'too_long'),
  v.check((phone) => phone === '' || /^\+?[0-9 ().-]{6,}$/.test(phone), 'invalid_phone'),
);

/** A ticked box: JSON `true`, or a form checkbox's `on`. */
const tick = v.optional(v.pipe(v.union([v.boolean(), v.literal('on'), v.literal('true')], 'invalid_type'), v.transform((value) => value !== false)));

/**
 * `{name, email, phone?, fields?, consent?}`. Whether phone, each field and consent are
 * required is the event's to say (`phone_required`, `registration_fields`,
 * `privacy_notice`): the server checks them against the event after this schema.
 */
export const RegisterInput = v.object({
  name: personName(Limits.nameMax),
  email: emailSchema,
  phone: v.optional(v.nullable(phoneSchema)),
  /** Answers by field key; checked with `validateFieldValues`. */
  fields: v.optional(v.unknown()),
  consent: tick,
});
export type RegisterInput = v.InferInput<typeof RegisterInput>;

export const SignInLinkInput = v.object({ email: emailSchema });
export type SignInLinkInput = v.InferInput<typeof SignInLinkInput>;

export const LoginInput = v.object({
  email: emailSchema,
  password: v.pipe(
    v.string('invalid_type'),
    v.nonEmpty('required'),
    v.maxLength(Limits.passwordMax, 'too_long'),
  ),
  /** Accepts the event's current privacy notice, when the sign-in answered `consent_required`. */
  consent: tick,
});
export type LoginInput = v.InferInput<typeof LoginInput>;

export const IdentityInput = v.object({
  identity: v.pipe(v.string('invalid_type'), v.nonEmpty('required'), v.maxLength(4096, 'too_long')),
});
export type IdentityInput = v.InferInput<typeof IdentityInput>;

/** An instant with its offset ("2026-12-01T18:00:00Z", "…-06:00"), stored and answered in UTC. */
const instantSchema = v.optional(
  v.nullable(
    v.pipe(
      v.string('invalid_type'),
      v.trim(),
      v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/i, 'invalid_instant'),
      v.check((value) => !Number.isNaN(Date.parse(value)), 'invalid_instant'),
      v.transform((value) => new Date(value).toISOString()),
    ),
  ),
);

/** An IANA zone the runtime knows ("America/Mexico_City"); Intl is the judge, so no list is kept. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** True when both instants are set and the end is not after the start. */
export function endsBeforeStart(startsAt: string | Date | null | undefined, endsAt: string | Date | null | undefined): boolean {
  return startsAt != null && endsAt != null && new Date(endsAt).getTime() <= new Date(startsAt).getTime();
}

const eventFields = {
  title: requiredText(Limits.titleMax),
  logo_url: urlSchema,
  video_url: videoUrlSchema,
  video_kind: v.optional(v.picklist(videoKinds, 'invalid_video_kind')),
  allowed_email_domains: v.optional(v.pipe(v.array(domainSchema, 'invalid_type'), v.maxLength(50, 'too_long'))),
  access_code: v.optional(
    v.nullable(
      v.pipe(
        v.string('invalid_type'),
        v.minLength(6, 'too_short'),
        v.maxLength(Limits.passwordMax, 'too_long'),
      ),
    ),
  ),
  allowed_origins: v.optional(v.pipe(v.array(originSchema, 'invalid_type'), v.maxLength(50, 'too_long'))),
  slow_mode_seconds: v.optional(
    v.pipe(v.number('invalid_type'), v.integer('invalid_type'), v.minValue(0, 'too_small'), v.maxValue(3600, 'too_large')),
  ),
  is_active: v.optional(v.boolean('invalid_type')),
  registration_fields: v.optional(RegistrationFieldsSchema),
  phone_required: v.optional(v.boolean('invalid_type')),
  privacy_notice: v.optional(v.nullable(PrivacyNoticeSchema)),
  /** Seats; null = no limit. */
  capacity: v.optional(v.nullable(v.pipe(v.number('invalid_type'), v.integer('invalid_type'), v.minValue(1, 'too_small'), v.maxValue(10_000_000, 'too_large')))),
  waitlist: v.optional(v.boolean('invalid_type')),
  /** Days after the close when attendees' personal data is erased; null = kept. */
  retention_days: v.optional(v.nullable(v.pipe(v.number('invalid_type'), v.integer('invalid_type'), v.minValue(1, 'too_small'), v.maxValue(3650, 'too_large')))),
  starts_at: instantSchema,
  ends_at: instantSchema,
  time_zone: v.optional(v.pipe(v.string('invalid_type'), v.trim(), v.maxLength(64, 'too_long'), v.check(isTimeZone, 'invalid_time_zone'))),
  description: optionalText(Limits.descriptionMax),
  replay_url: urlSchema,
  on_demand_until: instantSchema,
  replay_registration: v.optional(v.boolean('invalid_type')),
  sign_in: v.optional(v.picklist(signInMethods, 'invalid_sign_in')),
  require_confirmation: v.optional(v.boolean('invalid_type')),
  allow_anonymous_questions: v.optional(v.boolean('invalid_type')),
  /**
   * Checked here for shape only: past `Limits.blockedWordsMax` entries the server answers 422
   * `too_many_blocked_words`, a code of its own so the form can say what the cap is.
   */
  blocked_words: v.optional(
    v.array(v.pipe(v.string('invalid_type'), v.trim(), v.minLength(1, 'too_short'), v.maxLength(Limits.blockedWordMax, 'too_long')), 'invalid_type'),
  ),
  blocked_words_action: v.optional(v.picklist(Object.values(BlockedWordsAction), 'invalid_blocked_words_action')),
  default_blocked_words: v.optional(v.object({ es: v.boolean('invalid_type'), en: v.boolean('invalid_type') }, 'invalid_type')),
};

export const EventCreateInput = v.pipe(
  v.object({ slug: slugSchema, ...eventFields }),
  v.forward(
    v.check((event) => !endsBeforeStart(event.starts_at, event.ends_at), 'ends_before_start'),
    ['ends_at'],
  ),
);
export type EventCreateInput = v.InferInput<typeof EventCreateInput>;

export const EventPatchInput = v.partial(
  v.object({
    slug: slugSchema,
    ...eventFields,
    /** true asks the server for a new embed secret. */
    rotate_embed_secret: v.boolean('invalid_type'),
    /** true starts the broadcast (sets `live_at`, opens the event); false takes it back to scheduled. */
    live: v.boolean('invalid_type'),
  }),
);
export type EventPatchInput = v.InferInput<typeof EventPatchInput>;

export const StaffCreateInput = v.object({
  name: personName(Limits.nameMax),
  email: emailSchema,
  phone: optionalText(Limits.phoneMax),
  role: v.picklist([Role.moderator, Role.speaker], 'invalid_role'),
  password: passwordSchema,
});
export type StaffCreateInput = v.InferInput<typeof StaffCreateInput>;

export const StaffPatchInput = v.partial(
  v.object({
    name: personName(Limits.nameMax),
    role: v.picklist([Role.moderator, Role.speaker], 'invalid_role'),
    password: passwordSchema,
  }),
);
export type StaffPatchInput = v.InferInput<typeof StaffPatchInput>;

/** A whole number in the query string, at most `digits` long and `max` large. */
const queryNumber = (digits: number, max: number) =>
  v.pipe(
    v.string('invalid_type'),
    v.regex(new RegExp(`^\\d{1,${digits}}$`), 'invalid_type'),
    v.transform(Number),
    v.maxValue(max, 'too_large'),
  );
const pageLimit = (max: number) => v.optional(v.pipe(queryNumber(4, max), v.minValue(1, 'too_small')));

const idCursor = v.optional(
  v.pipe(v.string('invalid_type'), v.regex(/^\d{1,15}$/, 'invalid_type'), v.transform(Number)),
);
/** `after` pages forwards (oldest first); `before` pages backwards (the newest before it, still oldest first). */
export const HistoryQuery = v.object({
  after: idCursor,
  before: idCursor,
  limit: pageLimit(Limits.historyPageMax),
});
export type HistoryQuery = v.InferOutput<typeof HistoryQuery>;

/** https:// anywhere; plain http only to this machine, for trying a receiver locally. */
function isWebhookUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

const webhookFields = {
  url: v.pipe(
    v.string('invalid_type'),
    v.trim(),
    v.maxLength(Limits.urlMax, 'too_long'),
    v.check(isWebhookUrl, 'invalid_url'),
  ),
  topics: v.pipe(
    v.array(v.picklist(webhookTopics, 'invalid_topic'), 'invalid_type'),
    v.nonEmpty('required'),
    v.transform((topics) => [...new Set(topics)]),
  ),
  active: v.boolean('invalid_type'),
};

export const WebhookCreateInput = v.object({
  url: webhookFields.url,
  topics: webhookFields.topics,
  active: v.optional(webhookFields.active),
});
export type WebhookCreateInput = v.InferInput<typeof WebhookCreateInput>;

export const WebhookPatchInput = v.partial(
  v.object({
    ...webhookFields,
    /** true asks the server for a new secret; the old one stops signing at once. */
    rotate_secret: v.boolean('invalid_type'),
  }),
);
export type WebhookPatchInput = v.InferInput<typeof WebhookPatchInput>;

/** Deliveries newest first: `before` = the last id of the previous page. */
export const WebhookDeliveriesQuery = v.object({
  before: idCursor,
  limit: HistoryQuery.entries.limit,
});
export type WebhookDeliveriesQuery = v.InferOutput<typeof WebhookDeliveriesQuery>;

/** An event's outbox messages newest first, paged like webhook deliveries. */
export const OutboxQuery = WebhookDeliveriesQuery;

/* ------------------------------------------------------------------ report tables */

export const participantSorts = ['name', 'email', 'phone', 'registered_at', 'minutes', 'status'] as const;
export type ParticipantSort = (typeof participantSorts)[number];
export const questionSorts = ['created_at', 'votes', 'status'] as const;
export type QuestionSort = (typeof questionSorts)[number];
export const sortDirections = ['asc', 'desc'] as const;
export type SortDirection = (typeof sortDirections)[number];

/** Search, sort and offset paging shared by the report tables; the sort columns differ. */
function tableQuery<S extends readonly [string, ...string[]]>(sorts: S) {
  return {
    q: v.optional(v.pipe(v.string('invalid_type'), v.trim(), v.maxLength(Limits.reportSearchMax, 'too_long'))),
    sort: v.optional(v.picklist(sorts, 'invalid_sort')),
    dir: v.optional(v.picklist(sortDirections, 'invalid_sort')),
    offset: v.optional(queryNumber(9, 999_999_999)),
    limit: pageLimit(Limits.reportPageMax),
  };
}

/** GET /reports/participants: `q` matches name, email, phone or an answer to a custom field. */
export const ParticipantsQuery = v.object(tableQuery(participantSorts));
export type ParticipantsQuery = v.InferOutput<typeof ParticipantsQuery>;

/** GET /reports/questions: `q` matches the question or its author; `status` keeps one status. */
export const ReportQuestionsQuery = v.object({
  ...tableQuery(questionSorts),
  status: v.optional(
    v.picklist([QuestionStatus.pending, QuestionStatus.approved, QuestionStatus.read, QuestionStatus.rejected], 'invalid_status'),
  ),
});
export type ReportQuestionsQuery = v.InferOutput<typeof ReportQuestionsQuery>;
