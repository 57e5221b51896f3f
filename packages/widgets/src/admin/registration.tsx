import { useState } from 'preact/hooks';
import {
  EventPatchInput,
  fieldProblemText,
  localizedText,
  registrationFieldTypes,
  validate,
  type AdminEvent,
  type FieldValues,
  type RegistrationField,
  type RegistrationFieldType,
} from '@palco/sdk';
import { ErrorLine } from '../shared.js';
import { widgetTexts } from '../texts.js';
import { Question } from '../widgets/register.js';
import type { AdminContext } from './context.js';
import { Field, splitList, useSubmit } from './parts.js';
import { privacyTexts } from './privacy-texts.js';

/** A question as the builder edits it: options and bounds as typed text. */
interface Draft {
  key: string;
  es: string;
  en: string;
  type: RegistrationFieldType;
  required: boolean;
  options: string;
  min: string;
  max: string;
}

const draftOf = (field: RegistrationField): Draft => ({
  key: field.key,
  es: field.label.es,
  en: field.label.en ?? '',
  type: field.type,
  required: field.required,
  options: (field.options ?? []).join('\n'),
  min: field.min === undefined ? '' : String(field.min),
  max: field.max === undefined ? '' : String(field.max),
});

const hasOptions = (type: RegistrationFieldType) => type === 'select' || type === 'multiselect';
/** A number box left empty means no bound; anything else is read as typed, so "abc" is refused. */
const bound = (text: string) => (text.trim() === '' ? undefined : Number(text));

function fieldOf(draft: Draft): RegistrationField {
  return {
    key: draft.key.trim(),
    label: { es: draft.es, ...(draft.en.trim() ? { en: draft.en } : {}) },
    type: draft.type,
    required: draft.required,
    ...(hasOptions(draft.type) ? { options: draft.options.split('\n').map((line) => line.trim()).filter(Boolean) } : {}),
    ...(draft.type === 'number' ? { min: bound(draft.min), max: bound(draft.max) } : {}),
  };
}

/** A key from the Spanish label, so most questions need no key typed: "¿Tu empresa?" → "tu_empresa". */
const keyFrom = (label: string) =>
  label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);

/** The event's registration: its own questions (add, reorder, remove, preview), phone rule, privacy notice, capacity and retention. */
export function RegistrationSection(props: { context: AdminContext; event: AdminEvent; onSaved(event: AdminEvent): void }) {
  const { context, event } = props;
  const { lang } = context;
  const texts = privacyTexts(lang);
  const [drafts, setDrafts] = useState<Draft[]>(() => event.registration_fields.map(draftOf));
  const [phoneRequired, setPhoneRequired] = useState(event.phone_required);
  const [noticeOn, setNoticeOn] = useState(event.privacy_notice !== null);
  const [notice, setNotice] = useState({
    version: event.privacy_notice?.version ?? '1',
    es: event.privacy_notice?.es ?? '',
    en: event.privacy_notice?.en ?? '',
  });
  const [capacity, setCapacity] = useState(event.capacity === null ? '' : String(event.capacity));
  const [waitlist, setWaitlist] = useState(event.waitlist);
  const [retention, setRetention] = useState(event.retention_days === null ? '' : String(event.retention_days));
  const [saved, setSaved] = useState(false);
  const [previewAnswers, setPreviewAnswers] = useState<FieldValues>({});
  const submit = useSubmit(lang);
  const problems = submit.failure?.fields ?? {};

  const change = (index: number, patch: Partial<Draft>) => {
    setSaved(false);
    setDrafts((current) => current.map((draft, at) => (at === index ? { ...draft, ...patch } : draft)));
  };
  const move = (index: number, by: number) =>
    setDrafts((current) => {
      const next = [...current];
      const [moved] = next.splice(index, 1);
      next.splice(index + by, 0, moved!);
      return next;
    });
  const add = () => setDrafts((current) => [...current, { key: '', es: '', en: '', type: 'text', required: false, options: '', min: '', max: '' }]);

  const fields = drafts.map(fieldOf);
  const input = {
    registration_fields: fields,
    phone_required: phoneRequired,
    privacy_notice: noticeOn ? { version: notice.version, es: notice.es, ...(notice.en.trim() ? { en: notice.en } : {}) } : null,
    capacity: capacity.trim() === '' ? null : Number(capacity),
    waitlist,
    retention_days: retention.trim() === '' ? null : Number(retention),
  };

  const onSubmit = (domEvent: Event) => {
    domEvent.preventDefault();
    void submit.run(async () => {
      const checked = validate(EventPatchInput, input);
      if (!checked.ok) {
        const worded = Object.fromEntries(Object.entries(checked.fields).map(([path, problem]) => [path, fieldProblemText(problem, lang)]));
        return submit.setFailure({ message: context.texts.formHasErrors, fields: worded });
      }
      const result = await context.client.updateEvent(event.id, checked.value);
      setDrafts(result.registration_fields.map(draftOf));
      setSaved(true);
      props.onSaved(result);
    });
  };

  const problemAt = (index: number, name: string) => problems[`registration_fields.${index}.${name}`];
  return (
    <form ref={submit.form} class="form" noValidate onSubmit={onSubmit}>
      <h3>{texts.questionsTitle}</h3>
      <p class="hint">{texts.questionsHint}</p>
      {drafts.length === 0 && <p>{texts.noQuestions}</p>}
      <ol class="stack questions">
        {drafts.map((draft, index) => {
          const id = (name: string) => `question-${index}-${name}`;
          const name = draft.es || texts.questionNumber(index + 1);
          return (
            <li key={index} class="panel" aria-label={texts.questionNumber(index + 1)}>
              <Field
                id={id('es')}
                label={texts.labelEs}
                value={draft.es}
                error={problemAt(index, 'label')}
                required
                onInput={(es) => change(index, { es, ...(draft.key === keyFrom(draft.es) ? { key: keyFrom(es) } : {}) })}
              />
              <Field id={id('en')} label={texts.labelEn} value={draft.en} onInput={(en) => change(index, { en })} />
              <Field id={id('key')} label={texts.key} value={draft.key} error={problemAt(index, 'key')} required onInput={(key) => change(index, { key })} />
              <div class="field">
                <label for={id('type')}>{texts.type}</label>
                <select id={id('type')} value={draft.type} onChange={(domEvent) => change(index, { type: domEvent.currentTarget.value as RegistrationFieldType })}>
                  {registrationFieldTypes.map((type) => (
                    <option key={type} value={type}>
                      {texts.types[type]}
                    </option>
                  ))}
                </select>
              </div>
              {hasOptions(draft.type) && (
                <Field id={id('options')} label={texts.options} multiline value={draft.options} error={problemAt(index, 'options')} onInput={(options) => change(index, { options })} />
              )}
              {draft.type === 'number' && (
                <>
                  <Field id={id('min')} label={texts.min} type="number" value={draft.min} error={problemAt(index, 'min')} onInput={(min) => change(index, { min })} />
                  <Field id={id('max')} label={texts.max} type="number" value={draft.max} error={problemAt(index, 'max')} onInput={(max) => change(index, { max })} />
                </>
              )}
              <label class="check">
                <input type="checkbox" checked={draft.required} onChange={(domEvent) => change(index, { required: domEvent.currentTarget.checked })} />
                {texts.required}
              </label>
              <div class="actions">
                <button type="button" class="secondary small" disabled={index === 0} aria-label={texts.moveUp(name)} onClick={() => move(index, -1)}>
                  ↑
                </button>
                <button type="button" class="secondary small" disabled={index === drafts.length - 1} aria-label={texts.moveDown(name)} onClick={() => move(index, 1)}>
                  ↓
                </button>
                <button type="button" class="secondary small" onClick={() => setDrafts((current) => current.filter((_, at) => at !== index))}>
                  {texts.removeQuestion(name)}
                </button>
              </div>
            </li>
          );
        })}
      </ol>
      <div class="actions">
        <button type="button" class="secondary" onClick={add}>
          {texts.addQuestion}
        </button>
      </div>
      {fields.length > 0 && (
        <div class="preview stack" role="group" aria-label={texts.preview}>
          <h4>{texts.preview}</h4>
          {fields.map((field) => (
            <Question
              key={field.key}
              field={{ ...field, options: field.options ?? [], label: { es: localizedText(field.label, lang) || '…' } }}
              lang={lang}
              texts={widgetTexts(lang)}
              value={previewAnswers[field.key]}
              error={undefined}
              onChange={(value) => setPreviewAnswers((current) => ({ ...current, [field.key]: value }))}
            />
          ))}
        </div>
      )}

      <label class="check">
        <input type="checkbox" checked={phoneRequired} onChange={(domEvent) => setPhoneRequired(domEvent.currentTarget.checked)} />
        {texts.phoneRequired}
      </label>

      <h3>{texts.noticeTitle}</h3>
      <label class="check">
        <input type="checkbox" checked={noticeOn} onChange={(domEvent) => setNoticeOn(domEvent.currentTarget.checked)} />
        {texts.noticeEnabled}
      </label>
      {noticeOn && (
        <>
          <p class="hint">{texts.noticeHint}</p>
          <Field id="notice-version" label={texts.noticeVersion} value={notice.version} error={problems['privacy_notice.version']} required onInput={(version) => setNotice((current) => ({ ...current, version }))} />
          <Field id="notice-es" label={texts.noticeEs} multiline value={notice.es} error={problems['privacy_notice.es']} required onInput={(es) => setNotice((current) => ({ ...current, es }))} />
          <Field id="notice-en" label={texts.noticeEn} multiline value={notice.en} error={problems['privacy_notice.en']} onInput={(en) => setNotice((current) => ({ ...current, en }))} />
        </>
      )}

      <Field id="event-capacity" label={texts.capacity} type="number" value={capacity} hint={texts.capacityHint} error={problems.capacity} onInput={setCapacity} />
      <label class="check">
        <input type="checkbox" checked={waitlist} onChange={(domEvent) => setWaitlist(domEvent.currentTarget.checked)} />
        {texts.waitlist}
      </label>
      <Field id="event-retention" label={texts.retentionDays} type="number" value={retention} hint={texts.retentionHint} error={problems.retention_days} onInput={setRetention} />

      <ErrorLine message={submit.failure?.message} />
      {saved && (
        <p class="success" role="status">
          {context.texts.saved}
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={submit.pending}>
          {submit.pending ? context.texts.saving : context.texts.save}
        </button>
      </div>
    </form>
  );
}
