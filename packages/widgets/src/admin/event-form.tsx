import { useEffect, useState } from 'preact/hooks';
import {
  BlockedWordsAction,
  EventCreateInput,
  SignInMethod,
  signInMethods,
  EventPatchInput,
  Limits,
  validate,
  VideoKind,
  videoKinds,
  type AdminEvent,
} from '@palco/sdk';
import { ErrorLine } from '../shared.js';
import { widgetTexts } from '../texts.js';
import { PlayerStage } from '../widgets/player.js';
import type { AdminContext } from './context.js';
import { generatePassword, slugFrom, slugTyped } from './generated.js';
import { journeyAdminTexts } from './journey-texts.js';
import { CopyButton, Field, invalidFields, splitList, useSubmit } from './parts.js';
import { browserTimeZone, instantOfZonedInput, timeZones, zonedInputOf } from './zoned-time.js';

interface EventValues {
  title: string;
  description: string;
  slug: string;
  logo_url: string;
  video_url: string;
  video_kind: VideoKind;
  allowed_email_domains: string;
  access_code: string;
  allowed_origins: string;
  slow_mode_seconds: string;
  allow_anonymous_questions: boolean;
  /** One word or phrase a line. */
  blocked_words: string;
  blocked_words_action: BlockedWordsAction;
  default_words_es: boolean;
  default_words_en: boolean;
  /** Wall-clock times in `time_zone`, as a datetime-local input holds them ('' for none). */
  starts_at: string;
  ends_at: string;
  time_zone: string;
  sign_in: SignInMethod;
  require_confirmation: boolean;
  replay_url: string;
  on_demand_until: string;
  replay_registration: boolean;
}

function valuesOf(event: AdminEvent | null): EventValues {
  return {
    title: event?.title ?? '',
    description: event?.description ?? '',
    slug: event?.slug ?? '',
    logo_url: event?.logo_url ?? '',
    video_url: event?.video_url ?? '',
    video_kind: event?.video_kind ?? VideoKind.auto,
    allowed_email_domains: event?.allowed_email_domains.join('\n') ?? '',
    access_code: '',
    allowed_origins: event?.allowed_origins.join('\n') ?? '',
    slow_mode_seconds: String(event?.slow_mode_seconds ?? 0),
    allow_anonymous_questions: event?.allow_anonymous_questions ?? false,
    blocked_words: event?.blocked_words.join('\n') ?? '',
    blocked_words_action: event?.blocked_words_action ?? BlockedWordsAction.hold,
    default_words_es: event?.default_blocked_words.es ?? true,
    default_words_en: event?.default_blocked_words.en ?? true,
    ...scheduleValuesOf(event),
  };
}

/** The journey fields of `event`, its instants as wall-clock times in its own zone (a new event: the browser's zone). */
function scheduleValuesOf(event: AdminEvent | null) {
  const zone = event?.time_zone ?? browserTimeZone();
  return {
    starts_at: zonedInputOf(event?.starts_at ?? null, zone),
    ends_at: zonedInputOf(event?.ends_at ?? null, zone),
    time_zone: zone,
    sign_in: event?.sign_in ?? SignInMethod.link,
    require_confirmation: event?.require_confirmation ?? false,
    replay_url: event?.replay_url ?? '',
    on_demand_until: zonedInputOf(event?.on_demand_until ?? null, zone),
    replay_registration: event?.replay_registration ?? false,
  };
}

/**
 * A wall-clock time typed in the event's zone as the API's instant: null when empty, the
 * typed text itself when it is no time (the schema then names the field as `invalid_instant`).
 */
function instantOf(local: string, zone: string): string | null {
  if (!local.trim()) return null;
  return instantOfZonedInput(local, zone) ?? local;
}

/** The form's text as the API's input; an empty access code keeps the current one (or sets none). */
function inputOf(values: EventValues, removeAccessCode: boolean) {
  const slowMode = values.slow_mode_seconds.trim();
  return {
    title: values.title,
    description: values.description,
    slug: values.slug,
    logo_url: values.logo_url,
    video_url: values.video_url,
    video_kind: values.video_kind,
    allowed_email_domains: splitList(values.allowed_email_domains),
    allowed_origins: splitList(values.allowed_origins),
    // Number('') is 0: an emptied box must be refused, not read as "off".
    slow_mode_seconds: slowMode === '' ? Number.NaN : Number(slowMode),
    allow_anonymous_questions: values.allow_anonymous_questions,
    blocked_words: values.blocked_words.split('\n').map((word) => word.trim()).filter(Boolean),
    blocked_words_action: values.blocked_words_action,
    default_blocked_words: { es: values.default_words_es, en: values.default_words_en },
    starts_at: instantOf(values.starts_at, values.time_zone),
    ends_at: instantOf(values.ends_at, values.time_zone),
    time_zone: values.time_zone,
    sign_in: values.sign_in,
    require_confirmation: values.require_confirmation,
    replay_url: values.replay_url,
    on_demand_until: instantOf(values.on_demand_until, values.time_zone),
    replay_registration: values.replay_registration,
    ...(removeAccessCode ? { access_code: null } : values.access_code ? { access_code: values.access_code } : {}),
  };
}

/** The value once it has stopped changing for a moment: the preview does not load every keystroke. */
function useSettled(value: string, delayMs = 400): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value]);
  return settled;
}

/** Creates an event (no `event`) or edits every field of one. */
export function EventForm(props: { context: AdminContext; event: AdminEvent | null; onSaved(event: AdminEvent): void }) {
  const { context, event } = props;
  const { texts, lang } = context;
  const [values, setValues] = useState(() => valuesOf(event));
  const [removeAccessCode, setRemoveAccessCode] = useState(false);
  const [accessCodeShown, setAccessCodeShown] = useState(false);
  const [saved, setSaved] = useState(false);
  // A new event's slug follows its title until the administrator types one of their own.
  const [slugEdited, setSlugEdited] = useState(event !== null);
  const submit = useSubmit(lang);
  const errors = submit.failure?.fields ?? {};
  const set = (name: keyof EventValues) => (value: string | boolean) => {
    setSaved(false);
    setValues((current) => ({
      ...current,
      [name]: value,
      ...(name === 'title' && !slugEdited && typeof value === 'string' ? { slug: slugFrom(value) } : {}),
    }));
  };
  const setSlug = (typed: string) => {
    setSlugEdited(typed !== '');
    set('slug')(slugTyped(typed));
  };
  type CheckName = 'allow_anonymous_questions' | 'default_words_es' | 'default_words_en' | 'require_confirmation' | 'replay_registration';
  const check = (name: CheckName, label: string, hint?: string) => (
    <div class="choice">
      <label class="check">
        <input
          type="checkbox"
          checked={values[name]}
          aria-describedby={hint ? `${id(name)}-hint` : undefined}
          onChange={(e) => set(name)(e.currentTarget.checked)}
        />
        {label}
      </label>
      {hint && (
        <p id={`${id(name)}-hint`} class="hint">
          {hint}
        </p>
      )}
    </div>
  );
  const journey = journeyAdminTexts(lang);
  const zones = timeZones(values.time_zone);

  const onSubmit = (domEvent: Event) => {
    domEvent.preventDefault();
    void submit.run(async () => {
      const checked = validate(event ? EventPatchInput : EventCreateInput, inputOf(values, removeAccessCode));
      if (!checked.ok) return submit.setFailure(invalidFields(checked.fields, lang, texts));
      // A replay without an end date is never offered (eventState): say so before saving one.
      if (values.replay_url.trim() && !values.on_demand_until) {
        return submit.setFailure({ message: texts.formHasErrors, fields: { on_demand_until: journey.onDemandUntilNeeded } });
      }
      const result = event
        ? await context.client.updateEvent(event.id, checked.value)
        : await context.client.createEvent(checked.value as EventCreateInput);
      setValues(valuesOf(result));
      setRemoveAccessCode(false);
      setSaved(true);
      props.onSaved(result);
    });
  };

  const previewVideo = useSettled(values.video_url.trim());
  const previewLogo = useSettled(values.logo_url.trim());
  const publicUrl = `${context.api}/e/${values.slug.replace(/-+$/, '')}`;
  const id = (name: string) => `event-${name}`;
  /** What a field of `values` needs: its id, value, setter and problem. */
  const bound = (name: Exclude<keyof EventValues, CheckName | 'sign_in'>) => ({
    id: id(name),
    value: values[name],
    onInput: set(name),
    error: errors[name],
  });
  return (
    <form ref={submit.form} class="form" noValidate onSubmit={onSubmit}>
      <Field {...bound('title')} label={texts.title} maxLength={Limits.titleMax} required />
      <Field
        {...bound('slug')}
        onInput={setSlug}
        label={texts.slug}
        maxLength={63}
        autocomplete="off"
        required
        hint={
          <>
            {texts.slugHint}{' '}
            <output class="slug-preview" for={id('slug')} aria-live="polite">
              {publicUrl}
            </output>
          </>
        }
      />
      <Field {...bound('description')} label={texts.description} multiline maxLength={Limits.descriptionMax} hint={texts.descriptionHint} />
      <fieldset class="group">
        <legend>{journey.schedule}</legend>
        <p class="hint">{journey.scheduleHint(values.time_zone)}</p>
        <Field {...bound('starts_at')} label={journey.startsAt} type="datetime-local" />
        <Field {...bound('ends_at')} label={journey.endsAt} type="datetime-local" />
        <div class="field">
          <label for={id('time_zone')}>{journey.timeZone}</label>
          <select
            id={id('time_zone')}
            value={values.time_zone}
            aria-invalid={errors.time_zone ? 'true' : undefined}
            aria-describedby={[`${id('time_zone')}-hint`, errors.time_zone ? `${id('time_zone')}-error` : ''].filter(Boolean).join(' ')}
            onChange={(e) => set('time_zone')(e.currentTarget.value)}
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
          <p id={`${id('time_zone')}-hint`} class="hint">
            {journey.timeZoneHint}
          </p>
          {errors.time_zone && (
            <p id={`${id('time_zone')}-error`} class="field-error">
              {errors.time_zone}
            </p>
          )}
        </div>
      </fieldset>
      <Field {...bound('logo_url')} label={texts.logoUrl} type="url" maxLength={Limits.urlMax} />
      <Field
        {...bound('video_url')}
        label={texts.videoUrl}
        type="url"
        maxLength={Limits.urlMax}
        hint={texts.videoHint}
      />
      <div class="field">
        <label for={id('video_kind')}>{texts.videoKind}</label>
        <select
          id={id('video_kind')}
          value={values.video_kind}
          aria-describedby={`${id('video_kind')}-hint`}
          onChange={(e) => set('video_kind')(e.currentTarget.value)}
        >
          {videoKinds.map((kind) => (
            <option key={kind} value={kind}>
              {texts.videoKinds[kind]}
            </option>
          ))}
        </select>
        <p id={`${id('video_kind')}-hint`} class="hint">
          {texts.videoKindHint}
        </p>
      </div>
      <div class="preview" role="group" aria-label={texts.videoPreview}>
        <PlayerStage
          event={{ title: values.title, video_url: previewVideo || null, video_kind: values.video_kind, logo_url: previewLogo || null }}
          api={context.api}
          texts={widgetTexts(lang)}
        />
      </div>
      <fieldset class="group">
        <legend>{journey.replay}</legend>
        <Field {...bound('replay_url')} label={journey.replayUrl} type="url" maxLength={Limits.urlMax} hint={journey.replayUrlHint} />
        <Field {...bound('on_demand_until')} label={journey.onDemandUntil} type="datetime-local" hint={journey.scheduleHint(values.time_zone)} />
        {check('replay_registration', journey.replayRegistration)}
      </fieldset>
      <fieldset class="group" aria-describedby={errors.sign_in ? `${id('sign_in')}-error` : undefined}>
        <legend>{journey.signIn}</legend>
        {signInMethods.map((method) => (
          <div key={method} class="choice">
            <label class="check">
              <input
                type="radio"
                name={id('sign_in')}
                value={method}
                checked={values.sign_in === method}
                aria-describedby={`${id('sign_in')}-${method}-hint`}
                onChange={() => set('sign_in')(method)}
              />
              {journey.signInMethods[method]}
            </label>
            <p id={`${id('sign_in')}-${method}-hint`} class="hint">
              {journey.signInExplained[method]}
            </p>
          </div>
        ))}
        {errors.sign_in && (
          <p id={`${id('sign_in')}-error`} class="field-error">
            {errors.sign_in}
          </p>
        )}
        {check('require_confirmation', journey.requireConfirmation, journey.requireConfirmationHint)}
      </fieldset>
      <Field {...bound('allowed_email_domains')} label={texts.domains} multiline hint={texts.domainsHint} />
      <Field
        {...bound('access_code')}
        label={texts.accessCode}
        type={accessCodeShown ? 'text' : 'password'}
        autocomplete="new-password"
        maxLength={Limits.passwordMax}
        hint={event?.has_access_code ? texts.accessCodeKeep : texts.accessCodeHint}
      />
      <div class="row">
        <button
          type="button"
          class="secondary small"
          aria-controls={id('access_code')}
          aria-pressed={accessCodeShown}
          onClick={() => setAccessCodeShown(!accessCodeShown)}
        >
          {accessCodeShown ? texts.hideAccessCode : texts.showAccessCode}
        </button>
        <button
          type="button"
          class="secondary small"
          aria-controls={id('access_code')}
          onClick={() => {
            set('access_code')(generatePassword());
            setAccessCodeShown(true);
          }}
        >
          {texts.generateAccessCode}
        </button>
        {values.access_code && <CopyButton text={values.access_code} texts={texts} controls={id('access_code')} class="secondary small" />}
      </div>
      {event?.has_access_code && (
        <label class="check">
          <input type="checkbox" checked={removeAccessCode} onChange={(e) => setRemoveAccessCode(e.currentTarget.checked)} />
          {texts.accessCodeRemove}
        </label>
      )}
      <Field {...bound('allowed_origins')} label={texts.origins} multiline hint={texts.originsHint} />
      <Field {...bound('slow_mode_seconds')} label={texts.slowMode} type="number" hint={texts.slowModeHint} />
      <fieldset class="group">
        <legend>{texts.chatSafety}</legend>
        {check('allow_anonymous_questions', texts.allowAnonymous)}
        <Field
          {...bound('blocked_words')}
          error={errors.blocked_words ?? Object.entries(errors).find(([field]) => field.startsWith('blocked_words.'))?.[1]}
          label={texts.blockedWords}
          multiline
          hint={texts.blockedWordsHint(Limits.blockedWordsMax, Limits.blockedWordMax)}
        />
        <div class="field">
          <label for={id('blocked_words_action')}>{texts.blockedWordsAction}</label>
          <select id={id('blocked_words_action')} value={values.blocked_words_action} onChange={(e) => set('blocked_words_action')(e.currentTarget.value)}>
            {Object.values(BlockedWordsAction).map((action) => (
              <option key={action} value={action}>
                {texts.blockedWordsActions[action]}
              </option>
            ))}
          </select>
        </div>
        {check('default_words_es', texts.defaultWordsEs)}
        {check('default_words_en', texts.defaultWordsEn)}
      </fieldset>
      <ErrorLine message={submit.failure?.message} />
      {saved && event && (
        <p class="success" role="status">
          {texts.saved}
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={submit.pending}>
          {submit.pending ? texts.saving : event ? texts.save : texts.createEvent}
        </button>
      </div>
    </form>
  );
}
