import type { Lang } from '@palco/sdk/protocol';
import { commonTexts, type CommonTexts } from '@palco/widgets/common-texts';

/**
 * Words of the hosted pages (terms: docs/glossary.md). The registration and sign-in words are
 * the widgets' own (CommonTexts), so the hosted forms and <palco-register> say the same. Error
 * messages are not here: they come from the protocol's `errorText` and `fieldProblemText`, the
 * same texts the API sends.
 */
export interface PageTexts {
  languageName: string;
  switchLanguage: string;
  poweredBy: string;
  signInLink: string;
  firstTime: string;
  registerLink: string;
  errorSummaryTitle: string;
  waitFor(seconds: number): string;
  closedIntro: string;
  closedStaffHint: string;
  notFoundHint: string;
  backHome: string;
  /** A staff page opened by someone signed in with another role (an attendee at `/mod`): whom it is for. */
  staffOnly: { staff: string; moderators: string };
  backToYourPage: string;
  signInAsStaff: string;
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
  /** The about card's kicker: the same in every state, since the page changes state without a reload. */
  aboutKicker: string;
  /** The about card's line while the event waits for its start, and during its replay. */
  howToTakePart: string;
  takePartSteps: readonly string[];
}

function minutesAndSeconds(seconds: number): { minutes: number; rest: number } {
  return { minutes: Math.floor(seconds / 60), rest: seconds % 60 };
}

const es: PageTexts = {
  languageName: 'Español',
  switchLanguage: 'Cambiar idioma',
  poweredBy: 'Con la tecnología de Palco',
  signInLink: 'Inicia sesión',
  firstTime: '¿Es tu primera vez?',
  registerLink: 'Regístrate',
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
  staffOnly: {
    staff: 'Esta página es para el equipo del evento.',
    moderators: 'Esta página es para la moderación del evento.',
  },
  backToYourPage: 'Volver a tu página del evento',
  signInAsStaff: 'Iniciar sesión como parte del equipo',
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
  aboutKicker: 'Sobre el evento',
  howToTakePart: 'Cómo participar',
  takePartSteps: [
    'Escribe en el chat para hablar con los demás asistentes.',
    'Envía tus preguntas: la moderación las revisa y las aprobadas llegan al ponente.',
    'Vota las preguntas aprobadas que quieras oír respondidas: las más votadas suben.',
  ],
};

const en: PageTexts = {
  languageName: 'English',
  switchLanguage: 'Change language',
  poweredBy: 'Powered by Palco',
  signInLink: 'Sign in',
  firstTime: 'First time here?',
  registerLink: 'Register',
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
  staffOnly: {
    staff: "This page is for the event's staff.",
    moderators: "This page is for the event's moderators.",
  },
  backToYourPage: 'Back to your page of the event',
  signInAsStaff: 'Sign in as staff',
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
  aboutKicker: 'About the event',
  howToTakePart: 'How to take part',
  takePartSteps: [
    'Write in the chat to talk with the other attendees.',
    'Send your questions: the moderators review them, and approved ones reach the speaker.',
    'Vote for the approved questions you want answered: the most voted rise to the top.',
  ],
};

const pageTexts: Record<Lang, PageTexts & CommonTexts> = { es: { ...commonTexts.es, ...es }, en: { ...commonTexts.en, ...en } };

export function textsFor(lang: Lang): PageTexts & CommonTexts {
  return pageTexts[lang];
}
