import type { Lang } from '@palco/sdk';

/** The widgets' words around the live hour: the waiting room, the replay, confirming one's email. Spanish first. */
const es = {
  waitingTitle: 'La transmisión empieza pronto',
  /** "lunes, 1 de diciembre, 18:30" in the reader's zone, then the event's own clock and zone. */
  startsAt: (readerTime: string) => `Empieza el ${readerTime} (tu hora).`,
  eventClock: (eventTime: string, zone: string) => `En la zona del evento (${zone}): ${eventTime}.`,
  countdownLabel: 'Falta',
  /** The countdown as a screen reader hears it, once a minute at most. */
  startsIn: (text: string) => `Empieza en ${text}.`,
  startingSoon: 'Empezará en cualquier momento. Esta página cambiará sola.',
  keepOpen: 'Deja esta página abierta: el video aparecerá aquí sin recargar.',
  units: { day: 'd', hour: 'h', minute: 'min', second: 's' },
  spokenUnits: {
    day: (n: number) => (n === 1 ? '1 día' : `${n} días`),
    hour: (n: number) => (n === 1 ? '1 hora' : `${n} horas`),
    minute: (n: number) => (n === 1 ? '1 minuto' : `${n} minutos`),
  },
  addToCalendar: 'Añadir al calendario',
  icsFile: 'Archivo .ics (Apple, Outlook de escritorio…)',
  google: 'Google Calendar',
  outlook: 'Outlook.com',
  replayLine: 'Estás viendo la repetición: el chat, las preguntas y las encuestas son de solo lectura.',
  replayBadge: 'Repetición',
  replayLoading: 'Cargando la repetición…',
  replayFailed: 'No pudimos cargar la repetición.',
  replayFailedBody: 'Lo reintentamos cada 15 s. Si sigue fallando, avisa a la organización del evento.',
  confirmTitle: 'Falta confirmar tu correo',
  resend: 'Enviarme el enlace otra vez',
  resending: 'Enviando…',
  resent: (email: string, subject: string) =>
    `Te lo enviamos a ${email}. Busca en tu bandeja de entrada un correo con el asunto «${subject}» (mira también en spam o promociones) y pulsa el botón que contiene.`,
  signInSubject: (title: string) => `Tu enlace para entrar: ${title}`,
};

export type JourneyTexts = typeof es;

const en: JourneyTexts = {
  waitingTitle: 'The broadcast starts soon',
  startsAt: (readerTime) => `Starts ${readerTime} (your time).`,
  eventClock: (eventTime, zone) => `In the event’s zone (${zone}): ${eventTime}.`,
  countdownLabel: 'Starts in',
  startsIn: (text) => `Starts in ${text}.`,
  startingSoon: 'It will start any moment now. This page will change by itself.',
  keepOpen: 'Keep this page open: the video will appear here without reloading.',
  units: { day: 'd', hour: 'h', minute: 'min', second: 's' },
  spokenUnits: {
    day: (n) => (n === 1 ? '1 day' : `${n} days`),
    hour: (n) => (n === 1 ? '1 hour' : `${n} hours`),
    minute: (n) => (n === 1 ? '1 minute' : `${n} minutes`),
  },
  addToCalendar: 'Add to calendar',
  icsFile: '.ics file (Apple, desktop Outlook…)',
  google: 'Google Calendar',
  outlook: 'Outlook.com',
  replayLine: 'You are watching the replay: chat, questions and polls are read-only.',
  replayBadge: 'Replay',
  replayLoading: 'Loading the replay…',
  replayFailed: 'We could not load the replay.',
  replayFailedBody: 'We retry every 15 s. If it keeps failing, tell the event’s organiser.',
  confirmTitle: 'Your email is not confirmed yet',
  resend: 'Send me the link again',
  resending: 'Sending…',
  resent: (email, subject) =>
    `We sent it to ${email}. Look in your inbox for an email with the subject “${subject}” (check spam or promotions too) and press the button in it.`,
  signInSubject: (title) => `Your sign-in link: ${title}`,
};

export function journeyTexts(lang: Lang): JourneyTexts {
  return lang === 'en' ? en : es;
}
