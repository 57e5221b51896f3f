import type { Lang, MailKind } from '@palco/sdk/protocol';

/** What a message says, given the event's title and its start in the reader's words. */
export interface MailWords {
  subject(title: string): string;
  /** Paragraphs before the button. */
  lines(title: string, when: string | null): string[];
  /** The button's label; the link it opens depends on the kind. */
  action: string;
}

export interface CommonMailWords {
  greeting(name: string): string;
  /** Under the button, for clients that show no buttons. */
  linkHint: string;
  addToCalendar: string;
  unsubscribe: string;
  unsubscribeReason(title: string): string;
  transactionalReason(title: string): string;
  /** Names the event's own zone beside a time written in it. */
  when(date: string, zone: string): string;
}

export const commonMailWords: Record<Lang, CommonMailWords> = {
  es: {
    greeting: (name) => `Hola, ${name}:`,
    linkHint: 'Si el botón no funciona, copia este enlace en tu navegador:',
    addToCalendar: 'Añádelo a tu calendario:',
    unsubscribe: 'No quiero más avisos de este evento',
    unsubscribeReason: (title) => `Recibes este aviso porque te registraste en «${title}».`,
    transactionalReason: (title) => `Recibes este correo porque alguien usó tu dirección en «${title}». Si no fuiste tú, ignóralo.`,
    when: (date, zone) => `${date} (hora de ${zone})`,
  },
  en: {
    greeting: (name) => `Hello ${name},`,
    linkHint: 'If the button does not work, copy this link into your browser:',
    addToCalendar: 'Add it to your calendar:',
    unsubscribe: 'No more notices about this event',
    unsubscribeReason: (title) => `You get this notice because you registered for “${title}”.`,
    transactionalReason: (title) => `You get this email because someone used your address for “${title}”. If it was not you, ignore it.`,
    when: (date, zone) => `${date} (${zone} time)`,
  },
};

export const mailWords: Record<Lang, Record<MailKind, MailWords>> = {
  es: {
    confirmation: {
      subject: (title) => `Confirma tu registro: ${title}`,
      lines: (title, when) => [
        `Te registraste en «${title}».`,
        ...(when ? [`Empieza el ${when}.`] : []),
        'Abre el enlace para confirmar tu correo y entrar. Caduca en 30 minutos y sirve una sola vez; luego podrás pedir otro desde la página del evento.',
      ],
      action: 'Confirmar y entrar',
    },
    sign_in_link: {
      subject: (title) => `Tu enlace para entrar: ${title}`,
      lines: (title) => [`Aquí tienes tu enlace para entrar a «${title}». Caduca en 30 minutos y sirve una sola vez.`],
      action: 'Entrar al evento',
    },
    reminder_24h: {
      subject: (title) => `Mañana: ${title}`,
      lines: (title, when) => [`«${title}» empieza mañana${when ? `, el ${when}` : ''}.`],
      action: 'Ir al evento',
    },
    reminder_1h: {
      subject: (title) => `En una hora: ${title}`,
      lines: (title, when) => [`«${title}» empieza en una hora${when ? `, el ${when}` : ''}.`],
      action: 'Ir al evento',
    },
    live: {
      subject: (title) => `En directo ahora: ${title}`,
      lines: (title) => [`«${title}» ya está en directo. ¡Te esperamos!`],
      action: 'Ver ahora',
    },
    thanks: {
      subject: (title) => `Gracias por acompañarnos: ${title}`,
      lines: (title) => [`Gracias por estar en «${title}».`, 'Puedes volver a verlo cuando quieras mientras la repetición esté disponible.'],
      action: 'Ver la repetición',
    },
    missed: {
      subject: (title) => `Te echamos de menos: ${title}`,
      lines: (title) => [`No pudiste estar en «${title}». No pasa nada: la repetición te espera.`],
      action: 'Ver la repetición',
    },
  },
  en: {
    confirmation: {
      subject: (title) => `Confirm your registration: ${title}`,
      lines: (title, when) => [
        `You registered for “${title}”.`,
        ...(when ? [`It starts on ${when}.`] : []),
        'Open the link to confirm your email and sign in. It expires in 30 minutes and works once; you can ask for another one on the event page.',
      ],
      action: 'Confirm and sign in',
    },
    sign_in_link: {
      subject: (title) => `Your sign-in link: ${title}`,
      lines: (title) => [`Here is your link to sign in to “${title}”. It expires in 30 minutes and works once.`],
      action: 'Sign in to the event',
    },
    reminder_24h: {
      subject: (title) => `Tomorrow: ${title}`,
      lines: (title, when) => [`“${title}” starts tomorrow${when ? `, on ${when}` : ''}.`],
      action: 'Go to the event',
    },
    reminder_1h: {
      subject: (title) => `In one hour: ${title}`,
      lines: (title, when) => [`“${title}” starts in one hour${when ? `, on ${when}` : ''}.`],
      action: 'Go to the event',
    },
    live: {
      subject: (title) => `Live now: ${title}`,
      lines: (title) => [`“${title}” is live now. Join us!`],
      action: 'Watch now',
    },
    thanks: {
      subject: (title) => `Thank you for joining: ${title}`,
      lines: (title) => [`Thank you for being at “${title}”.`, 'You can watch it again while the replay is available.'],
      action: 'Watch the replay',
    },
    missed: {
      subject: (title) => `We missed you: ${title}`,
      lines: (title) => [`You could not make it to “${title}”. No problem: the replay is waiting for you.`],
      action: 'Watch the replay',
    },
  },
};
