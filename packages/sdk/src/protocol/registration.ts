import * as v from 'valibot';
import type { Lang } from './texts.js';

/*
 * An event's own registration form (DESIGN.md "Registration and personal data"): the custom
 * fields, the privacy notice and the capacity. The server and the widgets validate with
 * these same functions, so a form never accepts what the API refuses.
 */

export const RegistrationFieldType = {
  text: 'text',
  textarea: 'textarea',
  select: 'select',
  multiselect: 'multiselect',
  checkbox: 'checkbox',
  number: 'number',
  /** An ISO 3166-1 alpha-2 code ("MX"); names come from i18n-iso-countries on the server, Intl.DisplayNames in browsers. */
  country: 'country',
} as const;
export type RegistrationFieldType = (typeof RegistrationFieldType)[keyof typeof RegistrationFieldType];
export const registrationFieldTypes = Object.values(RegistrationFieldType) as [RegistrationFieldType, ...RegistrationFieldType[]];

export const RegistrationLimits = {
  fieldsMax: 30,
  keyPattern: /^[a-z][a-z0-9_]{0,39}$/,
  labelMax: 200,
  optionsMax: 100,
  optionMax: 100,
  textMax: 200,
  textareaMax: 2000,
  noticeTextMax: 20_000,
  noticeVersionMax: 40,
} as const;

/** Text in both languages; Spanish is required, English falls back to it. */
export interface LocalizedText {
  es: string;
  en?: string;
}

export interface RegistrationField {
  /** Stable name of the answer in `fields`, exports and webhooks: `^[a-z][a-z0-9_]{0,39}$`. */
  key: string;
  label: LocalizedText;
  type: RegistrationFieldType;
  required: boolean;
  /** select and multiselect only: the values a person may pick (each is also its label). */
  options?: string[];
  /** number only: the smallest and largest accepted values. */
  min?: number;
  max?: number;
}

/** An answer: text, a picked option, several options, a tick, a number or a country code. */
export type FieldValue = string | string[] | boolean | number;
export type FieldValues = Record<string, FieldValue>;

/**
 * The event's privacy notice: `version` names the wording; when it changes, returning attendees
 * consent again (`consent_required`). Each language holds the notice's text, or its https:// URL.
 */
export interface PrivacyNotice {
  version: string;
  es: string;
  en?: string;
}

const localized = (max: number) =>
  v.object({
    es: v.pipe(v.string('invalid_type'), v.trim(), v.nonEmpty('required'), v.maxLength(max, 'too_long')),
    en: v.optional(v.pipe(v.string('invalid_type'), v.trim(), v.maxLength(max, 'too_long'))),
  });

const hasChoices = (type: RegistrationFieldType) => type === 'select' || type === 'multiselect';

const fieldSchema = v.pipe(
  v.object({
    key: v.pipe(v.string('invalid_type'), v.regex(RegistrationLimits.keyPattern, 'invalid_field_key')),
    label: localized(RegistrationLimits.labelMax),
    type: v.picklist(registrationFieldTypes, 'invalid_field_type'),
    required: v.optional(v.boolean('invalid_type'), false),
    options: v.optional(
      v.pipe(
        v.array(v.pipe(v.string('invalid_type'), v.trim(), v.nonEmpty('required'), v.maxLength(RegistrationLimits.optionMax, 'too_long')), 'invalid_type'),
        v.maxLength(RegistrationLimits.optionsMax, 'too_long'),
        v.check((options) => new Set(options).size === options.length, 'duplicate_option'),
      ),
    ),
    min: v.optional(v.pipe(v.number('invalid_type'), v.finite('invalid_type'))),
    max: v.optional(v.pipe(v.number('invalid_type'), v.finite('invalid_type'))),
  }),
  v.forward(
    v.check((field) => hasChoices(field.type) === (field.options !== undefined && field.options.length > 0), 'options_mismatch'),
    ['options'],
  ),
  v.forward(
    v.check((field) => field.type === 'number' || (field.min === undefined && field.max === undefined), 'range_mismatch'),
    ['min'],
  ),
  v.forward(v.check((field) => field.min === undefined || field.max === undefined || field.min <= field.max, 'invalid_range'), ['max']),
);

/** The list an administrator saves: keys unique, options only on select and multiselect, min/max only on number. */
export const RegistrationFieldsSchema = v.pipe(
  v.array(fieldSchema, 'invalid_type'),
  v.maxLength(RegistrationLimits.fieldsMax, 'too_long'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const seen = new Set<string>();
    dataset.value.forEach((field, index) => {
      if (seen.has(field.key)) {
        addIssue({ message: 'duplicate_key', path: [{ type: 'array', origin: 'value', input: dataset.value, key: index, value: field }, { type: 'object', origin: 'value', input: field, key: 'key', value: field.key }] });
      }
      seen.add(field.key);
    });
  }),
);

export const PrivacyNoticeSchema = v.object({
  version: v.pipe(v.string('invalid_type'), v.trim(), v.nonEmpty('required'), v.maxLength(RegistrationLimits.noticeVersionMax, 'too_long')),
  es: v.pipe(v.string('invalid_type'), v.trim(), v.nonEmpty('required'), v.maxLength(RegistrationLimits.noticeTextMax, 'too_long')),
  en: v.optional(v.pipe(v.string('invalid_type'), v.trim(), v.maxLength(RegistrationLimits.noticeTextMax, 'too_long'))),
});

/** A field's label, or its notice, in the reader's language (Spanish when no English was written). */
export function localizedText(text: LocalizedText, lang: Lang): string {
  return (lang === 'en' && text.en) || text.es;
}

/** True when a notice's text is a link to the notice rather than the notice itself. */
export function isNoticeUrl(text: string): boolean {
  return /^https:\/\/\S+$/i.test(text);
}

/**
 * Whether `email` may register where only `domains` are allowed (any, when there are none): the
 * whole domain after its last "@", so `a.com.evil.io` and `evila.com` are not `a.com`.
 */
export function emailDomainAllowed(email: string, domains: readonly string[]): boolean {
  if (domains.length === 0) return true;
  return domains.includes(email.slice(email.lastIndexOf('@') + 1).toLowerCase());
}

const isBlank = (value: unknown) =>
  value === undefined || value === null || value === '' || value === false || (Array.isArray(value) && value.length === 0);

/** Reads one answer; returns the value to store or the problem key. */
function checkValue(field: RegistrationField, raw: unknown, isCountry: (code: string) => boolean): { value: FieldValue } | { problem: string } {
  switch (field.type) {
    case 'text':
    case 'textarea': {
      if (typeof raw !== 'string') return { problem: 'invalid_type' };
      const text = raw.trim();
      const max = field.type === 'text' ? RegistrationLimits.textMax : RegistrationLimits.textareaMax;
      return text.length > max ? { problem: 'too_long' } : { value: text };
    }
    case 'select':
      return typeof raw === 'string' && field.options?.includes(raw) ? { value: raw } : { problem: 'not_an_option' };
    case 'multiselect': {
      const picked = Array.isArray(raw) ? raw : [raw];
      if (!picked.every((item) => typeof item === 'string' && field.options?.includes(item))) return { problem: 'not_an_option' };
      return { value: [...new Set(picked as string[])] };
    }
    case 'checkbox':
      if (raw === true || raw === 'true' || raw === 'on') return { value: true };
      return raw === false || raw === 'false' ? { value: false } : { problem: 'invalid_type' };
    case 'number': {
      const number = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof number !== 'number' || !Number.isFinite(number)) return { problem: 'invalid_number' };
      if (field.min !== undefined && number < field.min) return { problem: 'too_small' };
      if (field.max !== undefined && number > field.max) return { problem: 'too_large' };
      return { value: number };
    }
    case 'country': {
      const code = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
      return /^[A-Z]{2}$/.test(code) && isCountry(code) ? { value: code } : { problem: 'invalid_country' };
    }
  }
}

export type FieldValuesResult = { ok: true; value: FieldValues } | { ok: false; fields: Record<string, string> };

/**
 * Checks a person's answers against the event's fields. Problems are keyed `fields.{key}`
 * (problem keys as in `fieldProblemText`); answers to keys the event does not ask are
 * dropped. `isCountry` says whether an upper-case alpha-2 code names a country.
 */
export function validateFieldValues(
  fields: readonly RegistrationField[],
  input: unknown,
  isCountry: (code: string) => boolean,
): FieldValuesResult {
  const answers = input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  if (input !== undefined && input !== null && answers !== input) return { ok: false, fields: { fields: 'invalid_type' } };
  const value: FieldValues = {};
  const problems: Record<string, string> = {};
  for (const field of fields) {
    const raw = answers[field.key];
    if (isBlank(raw)) {
      if (field.required) problems[`fields.${field.key}`] = 'required';
      continue;
    }
    const checked = checkValue(field, raw, isCountry);
    if ('problem' in checked) problems[`fields.${field.key}`] = checked.problem;
    else value[field.key] = checked.value;
  }
  return Object.keys(problems).length > 0 ? { ok: false, fields: problems } : { ok: true, value };
}

/** A value as a cell of a table or a CSV: options joined by ", ", ticks as yes/no. */
export function fieldValueText(value: FieldValue | undefined, lang: Lang): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? (lang === 'en' ? 'Yes' : 'Sí') : 'No';
  return String(value);
}

/** Where a registration stands: holding a seat, or waiting for one. */
export const RegistrationStatus = {
  registered: 'registered',
  waitlisted: 'waitlisted',
} as const;
export type RegistrationStatus = (typeof RegistrationStatus)[keyof typeof RegistrationStatus];

/** 202 answer of a registration past the event's capacity when it keeps a waitlist: no session. */
export interface WaitlistedResult {
  status: typeof RegistrationStatus.waitlisted;
  user: { id: number; name: string; email: string };
}
