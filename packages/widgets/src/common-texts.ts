import type { Lang, Role } from '@palco/sdk/protocol';

/** "a.com, b.com o c.com": a list read as a choice, in the reader's language. */
export const anyOf = (lang: Lang, items: readonly string[]) => {
  try {
    return new Intl.ListFormat(lang, { type: 'disjunction' }).format(items);
  } catch {
    // A page whose Intl throws (see format.ts dateFormat).
    return items.join(lang === 'en' ? ' or ' : ' o ');
  }
};

/**
 * Words the widgets, the admin pages, the report and the hosted pages all show, so each is
 * worded once (terms: docs/glossary.md). The hosted registration and sign-in forms
 * (packages/backend/src/pages) and <palco-register> say the same because they read these.
 */
const es = {
  loading: 'Cargando…',
  email: 'Correo electrónico',
  signedInAs: (name: string) => `Conectado como ${name}`,
  signOut: 'Cerrar sesión',
  signOutQuestion: (name: string) => `¿Cerrar la sesión de ${name} en este evento?`,
  formHasErrors: 'Revisa los campos marcados.',
  roleNames: { visor: 'Asistente', moderador: 'Moderador(a)', speaker: 'Ponente', administrador: 'Administrador(a)' } as Record<Role, string>,

  registerTitle: 'Regístrate para entrar',
  registerIntro: 'Completa tus datos para ver la transmisión, chatear y enviar preguntas.',
  loginTitle: 'Inicia sesión',
  name: 'Nombre completo',
  phone: 'Teléfono',
  password: 'Código de acceso o contraseña',
  registerButton: 'Entrar al evento',
  loginButton: 'Iniciar sesión',
  allowedDomains: (domains: readonly string[]) => `Usa tu correo de ${anyOf('es', domains)}.`,
  alreadyRegistered: '¿Ya te registraste?',
  replaySignInHint: 'Si te registraste antes, inicia sesión para ver la repetición.',
  passwordHint: 'Asistentes: escribe el código de acceso del evento, el que te dio quien lo organiza. Equipo del evento (moderación, ponentes, administración): usa tu propia contraseña.',
  /** A message, question or answer made while the connection is away: the SDK sends it once it returns. */
  sendingWhenBack: 'Se enviará al volver la conexión',
};

export type CommonTexts = typeof es;

const en: CommonTexts = {
  loading: 'Loading…',
  email: 'Email',
  signedInAs: (name) => `Signed in as ${name}`,
  signOut: 'Sign out',
  signOutQuestion: (name) => `Sign ${name} out of this event?`,
  formHasErrors: 'Please check the highlighted fields.',
  roleNames: { visor: 'Attendee', moderador: 'Moderator', speaker: 'Speaker', administrador: 'Administrator' },

  registerTitle: 'Register to join',
  registerIntro: 'Fill in your details to watch the broadcast, chat and send questions.',
  loginTitle: 'Sign in',
  name: 'Full name',
  phone: 'Phone',
  password: 'Access code or password',
  registerButton: 'Join the event',
  loginButton: 'Sign in',
  allowedDomains: (domains) => `Use your ${anyOf('en', domains)} email.`,
  alreadyRegistered: 'Already registered?',
  replaySignInHint: 'If you registered before, sign in to watch the replay.',
  passwordHint: 'Attendees: enter the event access code the organiser gave you. Event staff (moderators, speakers, administrators): use your own password.',
  sendingWhenBack: 'Sending when the connection returns',
};

export const commonTexts: Record<Lang, CommonTexts> = { es, en };
