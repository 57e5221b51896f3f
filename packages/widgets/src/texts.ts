import { errorText, type ErrorCode, type Lang } from '@palco/sdk';
import { commonTexts } from './common-texts.js';

/** Every word the widgets show a person, Spanish first; error codes are worded by the protocol's errorText. */
const es = {
  ...commonTexts.es,
  reconnecting: 'Conexión perdida. Reconectando…',
  missingEvent: 'Falta el atributo "event" con el identificador del evento.',
  closedTitle: 'Transmisión finalizada',
  closedBody: 'Gracias por acompañarnos.',
  signInToTakePart: 'Regístrate o inicia sesión para participar.',
  forbidden: 'Esta vista es solo para el equipo del evento.',
  send: 'Enviar',
  sending: 'Enviando…',
  charactersLeft: (left: number) => `${left} caracteres disponibles`,

  registerTab: 'Regístrate',
  loginTab: 'Ya me registré',
  registrationClosed: 'El registro está cerrado.',
  verifyingIdentity: 'Verificando tu identidad…',
  optional: '(opcional)',
  choose: 'Elige…',
  consentLabel: 'He leído y acepto el aviso de privacidad.',
  noticeTitle: 'Aviso de privacidad',

  playerTitle: (title: string) => `Transmisión: ${title}`,
  streamSoon: 'La transmisión comenzará pronto',
  streamSoonBody: 'Mantén esta página abierta: el video aparecerá aquí.',
  streamUnsupported: 'Tu navegador no puede reproducir esta transmisión.',
  openStream: 'Abrir la transmisión',

  chatTitle: 'Chat',
  chatEmpty: 'Aún no hay mensajes. ¡Saluda!',
  chatLabel: 'Mensaje para el chat',
  chatPlaceholder: 'Escribe un mensaje…',
  chatMessages: 'Mensajes del chat',
  slowMode: (seconds: number) => `Modo lento: un mensaje cada ${seconds} s.`,

  qaTitle: 'Preguntas',
  qaEmpty: 'Todavía no hay preguntas aprobadas.',
  askLabel: 'Tu pregunta',
  askPlaceholder: 'Escribe tu pregunta para los ponentes…',
  askButton: 'Preguntar',
  asked: 'Recibimos tu pregunta. Aparecerá cuando la moderación la apruebe.',
  approvedQuestions: 'Preguntas aprobadas',
  myQuestions: 'Tus preguntas',
  upvote: 'Votar',
  upvoted: 'Votada',
  votes: (count: number) => (count === 1 ? '1 voto' : `${count} votos`),
  upvoteQuestion: (author: string) => `Votar la pregunta de ${author}`,
  statusPending: 'Pendiente de aprobación',
  statusRejected: 'No aprobada',
  statusRead: 'Respondida',
  statusApproved: 'Aprobada',
  onScreen: 'En pantalla',

  allLabels: 'Todos los temas',
  labelFilter: 'Tema',
  anonymous: 'Anónima',
  answerShown: 'Respuesta',
  pinned: 'Fijado',
  heldNotice: 'Tu mensaje espera la revisión de la moderación.',
  rejectedNotice: (reason: string | null) => (reason ? `La moderación no publicó tu mensaje: ${reason}` : 'La moderación no publicó tu mensaje.'),
  deletedNotice: (reason: string | null) => (reason ? `La moderación borró tu mensaje: ${reason}` : 'La moderación borró tu mensaje.'),
  timeoutNotice: (until: string, reason: string | null) => `No puedes escribir hasta las ${until}.${reason ? ` Motivo: ${reason}` : ''}`,
  askAnonymously: 'Preguntar sin mostrar mi nombre',
  reasonGiven: (reason: string) => `Motivo: ${reason}`,

  speakerTitle: 'Preguntas para el ponente',
  fullscreen: 'Pantalla completa',
  exitFullscreen: 'Salir de pantalla completa',
  sortBy: 'Ordenar por',
  sortVotes: 'Votos',
  sortTime: 'Hora',
  markRead: 'Marcar como respondida',
  highlight: 'Destacar',
  clearHighlight: 'Quitar de pantalla',
  highlighted: 'Pregunta destacada',
  noQuestions: 'Aún no hay preguntas aprobadas.',
  readCount: (count: number) => (count === 1 ? '1 pregunta respondida' : `${count} preguntas respondidas`),
};

export type WidgetTexts = typeof es;

const en: WidgetTexts = {
  ...commonTexts.en,
  reconnecting: 'Connection lost. Reconnecting…',
  missingEvent: 'The "event" attribute with the event identifier is missing.',
  closedTitle: 'The broadcast has ended',
  closedBody: 'Thank you for joining us.',
  signInToTakePart: 'Register or sign in to take part.',
  forbidden: 'This view is for the event team only.',
  send: 'Send',
  sending: 'Sending…',
  charactersLeft: (left) => `${left} characters left`,

  registerTab: 'Register',
  loginTab: 'Already registered',
  registrationClosed: 'Registration is closed.',
  verifyingIdentity: 'Verifying your identity…',
  optional: '(optional)',
  choose: 'Choose…',
  consentLabel: 'I have read and accept the privacy notice.',
  noticeTitle: 'Privacy notice',

  playerTitle: (title) => `Broadcast: ${title}`,
  streamSoon: 'The broadcast will start soon',
  streamSoonBody: 'Keep this page open: the video will appear here.',
  streamUnsupported: 'Your browser cannot play this broadcast.',
  openStream: 'Open the broadcast',

  chatTitle: 'Chat',
  chatEmpty: 'No messages yet. Say hello!',
  chatLabel: 'Chat message',
  chatPlaceholder: 'Write a message…',
  chatMessages: 'Chat messages',
  slowMode: (seconds) => `Slow mode: one message every ${seconds} s.`,

  qaTitle: 'Questions',
  qaEmpty: 'No approved questions yet.',
  askLabel: 'Your question',
  askPlaceholder: 'Write your question for the speakers…',
  askButton: 'Ask',
  asked: 'We received your question. It will appear once a moderator approves it.',
  approvedQuestions: 'Approved questions',
  myQuestions: 'Your questions',
  upvote: 'Upvote',
  upvoted: 'Upvoted',
  votes: (count) => (count === 1 ? '1 vote' : `${count} votes`),
  upvoteQuestion: (author) => `Upvote the question from ${author}`,
  statusPending: 'Waiting for approval',
  statusRejected: 'Not approved',
  statusRead: 'Answered',
  statusApproved: 'Approved',
  onScreen: 'On screen',

  allLabels: 'All topics',
  labelFilter: 'Topic',
  anonymous: 'Anonymous',
  answerShown: 'Answer',
  pinned: 'Pinned',
  heldNotice: 'Your message is waiting for a moderator’s review.',
  rejectedNotice: (reason) => (reason ? `A moderator did not publish your message: ${reason}` : 'A moderator did not publish your message.'),
  deletedNotice: (reason) => (reason ? `A moderator deleted your message: ${reason}` : 'A moderator deleted your message.'),
  timeoutNotice: (until, reason) => `You may not write until ${until}.${reason ? ` Reason: ${reason}` : ''}`,
  askAnonymously: 'Ask without showing my name',
  reasonGiven: (reason) => `Reason: ${reason}`,

  speakerTitle: 'Questions for the speaker',
  fullscreen: 'Full screen',
  exitFullscreen: 'Exit full screen',
  sortBy: 'Sort by',
  sortVotes: 'Votes',
  sortTime: 'Time',
  markRead: 'Mark as answered',
  highlight: 'Highlight',
  clearHighlight: 'Take off screen',
  highlighted: 'Highlighted question',
  noQuestions: 'No approved questions yet.',
  readCount: (count) => (count === 1 ? '1 question answered' : `${count} questions answered`),
};

const textsByLang: Record<Lang, WidgetTexts> = { es, en };

export function widgetTexts(lang: Lang): WidgetTexts {
  return textsByLang[lang];
}

/** A failure as a person reads it, in the widget's language (not the client's). */
export function describeFailure(error: unknown, lang: Lang): string {
  const code = (error as { code?: ErrorCode } | null)?.code;
  return errorText(code ?? 'internal_error', lang);
}
