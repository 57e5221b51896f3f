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
  },
};

export function journeyTextsFor(lang: Lang): JourneyPageTexts {
  return journeyPageTexts[lang];
}
