import type { Lang } from '@palco/sdk/protocol';

/**
 * Words of the hosted pages. Error messages are not here: they come from the
 * protocol's `errorText` and `fieldProblemText`, the same texts the API sends.
 */
export interface PageTexts {
  languageName: string;
  switchLanguage: string;
  poweredBy: string;
  registerHeading: string;
  registerIntro: string;
  loginHeading: string;
  nameLabel: string;
  emailLabel: string;
  phoneLabel: string;
  passwordLabel: string;
  registerSubmit: string;
  loginSubmit: string;
  alreadyRegistered: string;
  signInLink: string;
  firstTime: string;
  registerLink: string;
  attendeeHint: string;
  staffHint: string;
  domainsHint(domains: readonly string[]): string;
  errorSummaryTitle: string;
  waitFor(seconds: number): string;
  closedIntro: string;
  closedStaffHint: string;
  notFoundHint: string;
  backHome: string;
  landingTagline: string;
  landingDemo: string;
  landingAdmin: string;
  optional: string;
  choose: string;
  consentLabel: string;
  readNotice: string;
  noticeHeading: string;
  waitlistedHeading: string;
  waitlistedIntro: string;
}

/** "a.com, b.com o c.com" */
const anyOf = (lang: Lang, items: readonly string[]) => new Intl.ListFormat(lang, { type: 'disjunction' }).format(items);

function minutesAndSeconds(seconds: number): { minutes: number; rest: number } {
  return { minutes: Math.floor(seconds / 60), rest: seconds % 60 };
}

const es: PageTexts = {
  languageName: 'Español',
  switchLanguage: 'Cambiar idioma',
  poweredBy: 'Con la tecnología de Palco',
  registerHeading: 'Regístrate para entrar',
  registerIntro: 'Completa tus datos para ver la transmisión, chatear y enviar preguntas.',
  loginHeading: 'Inicia sesión',
  nameLabel: 'Nombre completo',
  emailLabel: 'Correo electrónico',
  phoneLabel: 'Teléfono',
  passwordLabel: 'Código de acceso o contraseña',
  registerSubmit: 'Entrar al evento',
  loginSubmit: 'Iniciar sesión',
  alreadyRegistered: '¿Ya te registraste?',
  signInLink: 'Inicia sesión',
  firstTime: '¿Es tu primera vez?',
  registerLink: 'Regístrate',
  attendeeHint: 'Asistentes: escribe el código de acceso del evento que te enviaron.',
  staffHint: 'Equipo del evento (moderación, speakers, administración): usa tu propia contraseña.',
  domainsHint: (domains) => `Usa tu correo de ${anyOf('es', domains)}.`,
  errorSummaryTitle: 'No pudimos continuar',
  waitFor(seconds) {
    const { minutes, rest } = minutesAndSeconds(seconds);
    if (minutes === 0) return `Vuelve a intentarlo en ${seconds} ${seconds === 1 ? 'segundo' : 'segundos'}.`;
    const minuteWord = minutes === 1 ? 'minuto' : 'minutos';
    return rest === 0
      ? `Vuelve a intentarlo en ${minutes} ${minuteWord}.`
      : `Vuelve a intentarlo en ${minutes} ${minuteWord} y ${rest} s.`;
  },
  closedIntro: 'Este evento ya no admite registros ni entradas de asistentes.',
  closedStaffHint: '¿Eres parte del equipo del evento? Todavía puedes iniciar sesión.',
  notFoundHint: 'Revisa el enlace que recibiste o pide uno nuevo a quien organiza el evento.',
  backHome: 'Volver al inicio',
  landingTagline: 'Eventos en vivo con chat, preguntas, moderación y analítica.',
  landingDemo: 'Ver el evento de demostración',
  landingAdmin: 'Administración de eventos',
  optional: '(opcional)',
  choose: 'Elige…',
  consentLabel: 'He leído y acepto el aviso de privacidad.',
  readNotice: 'Leer el aviso de privacidad',
  noticeHeading: 'Aviso de privacidad',
  waitlistedHeading: 'Estás en la lista de espera',
  waitlistedIntro: 'El evento está completo. Te avisaremos en cuanto tengas plaza.',
};

const en: PageTexts = {
  languageName: 'English',
  switchLanguage: 'Change language',
  poweredBy: 'Powered by Palco',
  registerHeading: 'Register to join',
  registerIntro: 'Fill in your details to watch the broadcast, chat and send questions.',
  loginHeading: 'Sign in',
  nameLabel: 'Full name',
  emailLabel: 'Email',
  phoneLabel: 'Phone',
  passwordLabel: 'Access code or password',
  registerSubmit: 'Join the event',
  loginSubmit: 'Sign in',
  alreadyRegistered: 'Already registered?',
  signInLink: 'Sign in',
  firstTime: 'First time here?',
  registerLink: 'Register',
  attendeeHint: 'Attendees: enter the event access code you were sent.',
  staffHint: 'Event staff (moderators, speakers, administrators): use your own password.',
  domainsHint: (domains) => `Use your ${anyOf('en', domains)} email.`,
  errorSummaryTitle: 'We could not continue',
  waitFor(seconds) {
    const { minutes, rest } = minutesAndSeconds(seconds);
    if (minutes === 0) return `Please try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;
    const minuteWord = minutes === 1 ? 'minute' : 'minutes';
    return rest === 0
      ? `Please try again in ${minutes} ${minuteWord}.`
      : `Please try again in ${minutes} ${minuteWord} and ${rest} s.`;
  },
  closedIntro: 'This event no longer accepts registrations or attendees.',
  closedStaffHint: 'Are you on the event staff? You can still sign in.',
  notFoundHint: 'Check the link you received, or ask the organiser for a new one.',
  backHome: 'Back to the start',
  landingTagline: 'Live events with chat, questions, moderation and analytics.',
  landingDemo: 'See the demo event',
  landingAdmin: 'Event administration',
  optional: '(optional)',
  choose: 'Choose…',
  consentLabel: 'I have read and accept the privacy notice.',
  readNotice: 'Read the privacy notice',
  noticeHeading: 'Privacy notice',
  waitlistedHeading: 'You are on the waitlist',
  waitlistedIntro: 'The event is full. We will let you know as soon as a seat is yours.',
};

const pageTexts: Record<Lang, PageTexts> = { es, en };

export function textsFor(lang: Lang): PageTexts {
  return pageTexts[lang];
}
