import { useState } from 'preact/hooks';
import { Limits, Role, StaffCreateInput, StaffPatchInput, validate, type AdminEvent, type StaffMember } from '@palco/sdk';
import { ErrorLine, Notice } from '../shared.js';
import { eventPageUrl, type AdminContext } from './context.js';
import { generatePassword } from './generated.js';
import { ConfirmButton, CopyButton, Field, invalidFields, useLoaded, useSubmit } from './parts.js';

type StaffRole = typeof Role.moderator | typeof Role.speaker;

/**
 * A password box with "Generate a strong password": the generated one is shown in clear with a
 * copy button, once; the form empties the box after saving, and the server never sends it back.
 */
function PasswordField(props: {
  id: string;
  label: string;
  value: string;
  onInput(value: string): void;
  error?: string | undefined;
  required?: boolean;
  texts: AdminContext['texts'];
}) {
  const { texts } = props;
  const [generated, setGenerated] = useState<string | null>(null);
  const shown = generated !== null && generated === props.value;
  return (
    <div class="stack password-field">
      <Field
        id={props.id}
        label={props.label}
        type={shown ? 'text' : 'password'}
        autocomplete="new-password"
        value={props.value}
        onInput={props.onInput}
        error={props.error}
        maxLength={Limits.passwordMax}
        required={props.required}
        hint={shown ? texts.generatedPasswordNote : undefined}
      />
      <div class="row">
        <button
          type="button"
          class="secondary small"
          aria-controls={props.id}
          onClick={() => {
            const password = generatePassword();
            setGenerated(password);
            props.onInput(password);
          }}
        >
          {texts.generatePassword}
        </button>
        {shown && <CopyButton text={props.value} texts={texts} controls={props.id} class="secondary small" />}
      </div>
    </div>
  );
}
const emptyStaff = { name: '', email: '', phone: '', role: Role.moderator as StaffRole, password: '' };

function AddStaffForm(props: { context: AdminContext; event: AdminEvent; onAdded(member: StaffMember): void }) {
  const { context } = props;
  const { texts, lang } = context;
  const [values, setValues] = useState(emptyStaff);
  const submit = useSubmit(lang);
  const errors = submit.failure?.fields ?? {};
  const set = (name: keyof typeof emptyStaff) => (value: string) => setValues((current) => ({ ...current, [name]: value }));

  const onSubmit = (domEvent: Event) => {
    domEvent.preventDefault();
    void submit.run(async () => {
      const checked = validate(StaffCreateInput, { ...values, phone: values.phone || null });
      if (!checked.ok) return submit.setFailure(invalidFields(checked.fields, lang, texts));
      props.onAdded(await context.client.createStaff(props.event.id, checked.value));
      setValues(emptyStaff);
    });
  };

  const id = (name: string) => `staff-${name}`;
  const bound = (name: keyof typeof emptyStaff) => ({ id: id(name), value: values[name], onInput: set(name), error: errors[name] });
  return (
    <form ref={submit.form} class="form" noValidate onSubmit={onSubmit} aria-labelledby="add-staff-title">
      <h3 id="add-staff-title">{texts.addStaff}</h3>
      <div class="grid">
        <Field {...bound('name')} label={texts.name} maxLength={Limits.nameMax} required />
        <Field {...bound('email')} label={texts.email} type="email" maxLength={Limits.emailMax} required />
        <Field {...bound('phone')} label={texts.phone} type="tel" maxLength={Limits.phoneMax} />
        <div class="field">
          <label for={id('role')}>{texts.role}</label>
          <select id={id('role')} value={values.role} onChange={(e) => set('role')(e.currentTarget.value)}>
            <option value={Role.moderator}>{texts.roleNames.moderador}</option>
            <option value={Role.speaker}>{texts.roleNames.speaker}</option>
          </select>
        </div>
        <PasswordField {...bound('password')} label={texts.initialPassword} required texts={texts} />
      </div>
      <ErrorLine message={submit.failure?.message} />
      <div class="actions">
        <button type="submit" disabled={submit.pending}>
          {submit.pending ? texts.saving : texts.add}
        </button>
      </div>
    </form>
  );
}

/** A new password for one staff member; their earlier sessions end. */
function ResetPasswordForm(props: { context: AdminContext; event: AdminEvent; member: StaffMember; onDone(message: string): void }) {
  const { context, member } = props;
  const { texts, lang } = context;
  const [password, setPassword] = useState('');
  const submit = useSubmit(lang);
  const onSubmit = (domEvent: Event) => {
    domEvent.preventDefault();
    void submit.run(async () => {
      const checked = validate(StaffPatchInput, { password });
      if (!checked.ok) return submit.setFailure(invalidFields(checked.fields, lang, texts));
      await context.client.updateStaff(props.event.id, member.id, checked.value);
      props.onDone(texts.passwordChanged(member.name));
    });
  };
  const id = `staff-${member.id}-password`;
  return (
    <form ref={submit.form} class="row inline-form" noValidate onSubmit={onSubmit}>
      <PasswordField
        id={id}
        label={texts.newPassword(member.name)}
        value={password}
        onInput={setPassword}
        error={submit.failure?.fields.password}
        texts={texts}
      />
      <button type="submit" class="small" disabled={submit.pending}>
        {texts.save}
      </button>
      <ErrorLine message={submit.failure?.fields.password ? null : submit.failure?.message} />
    </form>
  );
}

/** The event's moderators and speakers: add, change a password, remove. */
export function StaffSection({ context, event }: { context: AdminContext; event: AdminEvent }) {
  const { texts, lang } = context;
  const staff = useLoaded(() => context.client.listStaff(event.id), event.id, lang);
  const [resetting, setResetting] = useState<number | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const members = staff.value ?? [];

  return (
    <div class="stack">
      <h3>{texts.staffTitle}</h3>
      <p class="hint">{texts.staffHint(eventPageUrl(context, event.slug, 'login'))}</p>
      {staff.error && <Notice tone="error">{staff.error}</Notice>}
      {staff.value && members.length === 0 && <Notice>{texts.noStaff}</Notice>}
      {status && (
        <p class="success" role="status">
          {status}
        </p>
      )}
      <ul class="list staff">
        {members.map((member) => (
          <li key={member.id} class="card staff-member" aria-label={member.name}>
            <div class="card-main">
              <span class="author">{member.name}</span>
              <span class="meta">{member.email}</span>
            </div>
            <div class="card-side actions">
              <span class="badge accent">{texts.roleNames[member.role]}</span>
              <button
                type="button"
                class="secondary small"
                aria-expanded={resetting === member.id}
                onClick={() => setResetting(resetting === member.id ? null : member.id)}
              >
                {texts.resetPassword}
              </button>
              <ConfirmButton
                label={texts.remove}
                class="danger small"
                title={texts.confirmRemoveTitle(member.name)}
                body={texts.confirmRemoveBody}
                danger
                context={context}
                action={async () => {
                  await context.client.deleteStaff(event.id, member.id);
                  staff.setValue(members.filter((other) => other.id !== member.id));
                }}
              />
            </div>
            {resetting === member.id && (
              <ResetPasswordForm
                context={context}
                event={event}
                member={member}
                onDone={(message) => {
                  setResetting(null);
                  setStatus(message);
                }}
              />
            )}
          </li>
        ))}
      </ul>
      <AddStaffForm context={context} event={event} onAdded={(member) => staff.setValue([...members, member])} />
    </div>
  );
}
