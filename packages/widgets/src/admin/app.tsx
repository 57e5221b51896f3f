import { useEffect, useMemo, useState } from 'preact/hooks';
import { LoginInput, Role, validate, type Lang, type PalcoAdminClient, type SessionUser } from '@palco/sdk';
import { ErrorLine, Notice } from '../shared.js';
import { AuditLog } from './audit-log.js';
import type { AdminContext } from './context.js';
import { EventForm } from './event-form.js';
import { EventPage } from './event-page.js';
import { EventsList } from './events-list.js';
import { ViewLink } from './link.js';
import { Field, invalidFields, useSubmit } from './parts.js';
import { privacyTexts } from './privacy-texts.js';
import { pathOfView, viewFromPath, type AdminView } from './routes.js';
import { adminTexts, type AdminTexts } from './texts.js';

function SignIn(props: { client: PalcoAdminClient; lang: Lang; texts: AdminTexts; notAdmin: boolean; onSignedIn(user: SessionUser): void }) {
  const { texts, lang } = props;
  const [values, setValues] = useState({ email: '', password: '' });
  const submit = useSubmit(lang);
  const errors = submit.failure?.fields ?? {};
  const onSubmit = (domEvent: Event) => {
    domEvent.preventDefault();
    void submit.run(async () => {
      const checked = validate(LoginInput, values);
      if (!checked.ok) return submit.setFailure(invalidFields(checked.fields, lang, texts));
      const result = await props.client.login(checked.value);
      props.onSignedIn(result.user);
    });
  };
  return (
    <section class="panel sign-in" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{texts.signInTitle}</h2>
      {props.notAdmin ? <Notice tone="error">{texts.notAdmin}</Notice> : <p class="hint">{texts.signInHint}</p>}
      <form ref={submit.form} class="form" noValidate onSubmit={onSubmit}>
        <Field
          id="sign-in-email"
          label={texts.email}
          type="email"
          autocomplete="username"
          value={values.email}
          onInput={(email) => setValues((current) => ({ ...current, email }))}
          error={errors.email}
          required
        />
        <Field
          id="sign-in-password"
          label={texts.password}
          type="password"
          autocomplete="current-password"
          value={values.password}
          onInput={(password) => setValues((current) => ({ ...current, password }))}
          error={errors.password}
          required
        />
        <ErrorLine message={submit.failure?.message} />
        <button type="submit" disabled={submit.pending}>
          {submit.pending ? texts.loading : texts.signIn}
        </button>
      </form>
    </section>
  );
}

type Who = { status: 'checking' } | { status: 'signed_out'; notAdmin: boolean } | { status: 'admin'; user: SessionUser };

export interface AdminAppProps {
  client: PalcoAdminClient;
  lang: Lang;
  /** The backend's URL without a trailing slash. */
  api: string;
  /** The path the app's views live under; null keeps the view in memory only (no address changes). */
  base: string | null;
}

/** The administrators' app: sign-in, the events, and everything about each one. */
export function AdminApp({ client, lang, api, base }: AdminAppProps) {
  const texts = adminTexts(lang);
  const [who, setWho] = useState<Who>({ status: 'checking' });
  const [view, setView] = useState<AdminView>(() => (base ? viewFromPath(base, location.pathname) : { name: 'list' }));

  useEffect(() => {
    client
      .me()
      .then(({ user }) => setWho(user.role === Role.admin ? { status: 'admin', user } : { status: 'signed_out', notAdmin: true }))
      .catch(() => setWho({ status: 'signed_out', notAdmin: false }));
  }, [client]);

  useEffect(() => {
    if (!base) return;
    const followHistory = () => setView(viewFromPath(base, location.pathname));
    addEventListener('popstate', followHistory);
    return () => removeEventListener('popstate', followHistory);
  }, [base]);

  const context = useMemo<AdminContext>(() => {
    // The address keeps its ?lang=, so a reload or a shared link opens in the same language.
    const href = (next: AdminView) => (base ? `${pathOfView(base, next)}${location.search}` : '#');
    return {
      client,
      lang,
      texts,
      api,
      href,
      navigate(next) {
        if (base) history.pushState(null, '', href(next));
        setView(next);
        scrollTo?.(0, 0);
      },
    };
  }, [client, lang, api, base]);

  if (who.status === 'checking') return <Notice>{texts.loading}</Notice>;
  if (who.status === 'signed_out') {
    return <SignIn client={client} lang={lang} texts={texts} notAdmin={who.notAdmin} onSignedIn={(user) => setWho({ status: 'admin', user })} />;
  }

  const signOut = async () => {
    await client.logout().catch(() => {});
    setWho({ status: 'signed_out', notAdmin: false });
  };
  return (
    <div class="app">
      <div class="app-bar">
        <ViewLink context={context} to={{ name: 'list' }} class="app-title" current={view.name === 'list'}>
          {texts.events}
        </ViewLink>
        <ViewLink context={context} to={{ name: 'audit' }} current={view.name === 'audit'}>
          {privacyTexts(lang).audit}
        </ViewLink>
        <span class="meta">{texts.signedInAs(who.user.name)}</span>
        <button type="button" class="secondary small" onClick={signOut}>
          {texts.signOut}
        </button>
      </div>
      {view.name === 'list' && <EventsList context={context} />}
      {view.name === 'new' && (
        <section class="panel" aria-labelledby="new-event-title">
          <ViewLink context={context} to={{ name: 'list' }} class="back">
            {texts.backToEvents}
          </ViewLink>
          <h2 id="new-event-title">{texts.newEvent}</h2>
          <EventForm context={context} event={null} onSaved={(event) => context.navigate({ name: 'event', id: event.id, tab: 'staff' })} />
        </section>
      )}
      {view.name === 'event' && <EventPage context={context} id={view.id} tab={view.tab} />}
      {view.name === 'audit' && <AuditLog context={context} />}
    </div>
  );
}
