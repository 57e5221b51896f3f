import {
  isNoticeUrl,
  localizedText,
  type FieldValue,
  type Lang,
  type PrivacyNotice,
  type RegistrationField,
} from '@palco/sdk/protocol';
import { countryOptions } from '../services/countries.js';
import { fieldId } from './form-fields.js';
import { textsFor } from './texts.js';

/* The event's own questions and its privacy notice, in the hosted registration form. */

/** The form control's name: `fields[key]`, read back into `fields` by the body parser. */
const controlName = (field: RegistrationField) => `fields[${field.key}]${field.type === 'multiselect' ? '[]' : ''}`;

interface CustomFieldProps {
  lang: Lang;
  field: RegistrationField;
  value: FieldValue | undefined;
  error: string | undefined;
}

/** One custom field, labelled, with its problem announced with it. */
export function CustomField({ lang, field, value, error }: CustomFieldProps) {
  const texts = textsFor(lang);
  const id = fieldId(`fields.${field.key}`);
  const errorId = `${id}-error`;
  const label = `${localizedText(field.label, lang)}${field.required ? '' : ` ${texts.optional}`}`;
  const common = {
    id,
    name: controlName(field),
    required: field.required,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? errorId : undefined,
  };
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  const problem = error && (
    <p class="field-error" id={errorId}>
      {error}
    </p>
  );
  if (field.type === 'checkbox') {
    return (
      <div class="field checkbox">
        {problem}
        <label>
          <input {...common} type="checkbox" value="true" checked={value === true} /> {label}
        </label>
      </div>
    );
  }
  if (field.type === 'multiselect') {
    const picked = Array.isArray(value) ? value : [];
    return (
      <fieldset class="field" id={id} aria-describedby={common['aria-describedby']}>
        <legend>{label}</legend>
        {problem}
        {field.options?.map((option) => (
          <label key={option}>
            <input type="checkbox" name={controlName(field)} value={option} checked={picked.includes(option)} /> {option}
          </label>
        ))}
      </fieldset>
    );
  }
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {problem}
      {field.type === 'textarea' ? (
        <textarea {...common}>{text}</textarea>
      ) : field.type === 'select' || field.type === 'country' ? (
        <select {...common}>
          <option value="">{texts.choose}</option>
          {(field.type === 'select' ? field.options!.map((option) => [option, option] as const) : countryOptions(lang)).map(([code, name]) => (
            <option key={code} value={code} selected={code === text}>
              {name}
            </option>
          ))}
        </select>
      ) : field.type === 'number' ? (
        <input {...common} type="number" value={text} min={field.min} max={field.max} step="any" />
      ) : (
        <input {...common} type="text" value={text} />
      )}
    </div>
  );
}

/** The notice (or a link to it) and the unticked box that accepts it. */
export function ConsentField({ lang, notice, error }: { lang: Lang; notice: PrivacyNotice; error: string | undefined }) {
  const texts = textsFor(lang);
  const body = localizedText(notice, lang);
  const id = fieldId('consent');
  return (
    <div class="field checkbox">
      {isNoticeUrl(body) ? (
        <p>
          <a href={body} target="_blank" rel="noopener noreferrer">
            {texts.readNotice}
          </a>
        </p>
      ) : (
        <details>
          <summary>{texts.noticeHeading}</summary>
          <p class="notice-text">{body}</p>
        </details>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <label>
        <input id={id} type="checkbox" name="consent" value="true" required aria-invalid={error ? 'true' : undefined} /> {texts.consentLabel}
      </label>
    </div>
  );
}
