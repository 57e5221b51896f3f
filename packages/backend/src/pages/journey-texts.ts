import type { Lang } from '@palco/sdk/protocol';

/** Words of the pages an emailed link opens: sign-in and unsubscribe. */
export interface JourneyPageTexts {
  signInHeading: string;
  signInDetail: string;
  signInButton: string;
  unsubscribeHeading: string;
  unsubscribeDetail(title: string): string;
  unsubscribeButton: string;
  unsubscribedHeading: string;
  unsubscribedDetail(title: string): string;
  askAgain: string;
  /** The form that asks for a link. */
  requestHeading: string;
  requestIntro: string;
  requestSubmit: string;
  requestSentHeading: string;
  requestSentDetail(email: string): string;
  /** On the access-code sign-in page of an event whose attendees sign in by link. */
  attendeesUseLink: string;
  errorCode(code: string): string;
}

const journeyPageTexts: Record<Lang, JourneyPageTexts> = {
  es: {
    signInHeading: 'Entrar al evento',
    signInDetail: 'Pulsa el botón para confirmar tu correo y entrar. El enlace sirve una sola vez.',
    signInButton: 'Entrar',
    unsubscribeHeading: 'Dejar de recibir avisos',
    unsubscribeDetail: (title) =>
      `No te enviaremos más recordatorios ni avisos de «${title}». Los enlaces de acceso que pidas seguirán llegando.`,
    unsubscribeButton: 'Darme de baja',
    unsubscribedHeading: 'Listo',
    unsubscribedDetail: (title) => `No recibirás más avisos de «${title}».`,
    askAgain: 'Pedir un enlace nuevo',
    requestHeading: 'Recibe un enlace de acceso',
    requestIntro: 'Escribe el correo con el que te registraste y te enviaremos un enlace para entrar.',
    requestSubmit: 'Enviarme el enlace',
    requestSentHeading: 'Revisa tu correo',
    requestSentDetail: (email) =>
      `Si ${email} está registrado en este evento, te llegará un enlace en unos minutos. Caduca en 30 minutos.`,
    attendeesUseLink: '¿Asistes al evento? Entra con un enlace a tu correo',
    errorCode: (code) => `Código del error: ${code}`,
  },
  en: {
    signInHeading: 'Sign in to the event',
    signInDetail: 'Press the button to confirm your email and sign in. The link works once.',
    signInButton: 'Sign in',
    unsubscribeHeading: 'Stop receiving notices',
    unsubscribeDetail: (title) =>
      `We will send you no more reminders or notices about “${title}”. Sign-in links you ask for will still arrive.`,
    unsubscribeButton: 'Unsubscribe',
    unsubscribedHeading: 'Done',
    unsubscribedDetail: (title) => `You will get no more notices about “${title}”.`,
    askAgain: 'Ask for a new link',
    requestHeading: 'Get a sign-in link',
    requestIntro: 'Enter the email you registered with and we will send you a link to sign in.',
    requestSubmit: 'Send me the link',
    requestSentHeading: 'Check your inbox',
    requestSentDetail: (email) =>
      `If ${email} is registered for this event, a link will arrive within minutes. It expires in 30 minutes.`,
    attendeesUseLink: 'Attending the event? Sign in with a link to your inbox',
    errorCode: (code) => `Error code: ${code}`,
  },
};

export function journeyTextsFor(lang: Lang): JourneyPageTexts {
  return journeyPageTexts[lang];
}
