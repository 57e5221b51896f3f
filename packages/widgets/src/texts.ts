import { ErrorCode, errorText, type Lang } from '@palco/sdk';
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
  linesOnTheirWay: 'Por enviar',
  linesNotSent: 'Sin enviar',
  backToTheBox: 'Volver a editar',
  discard: 'Descartar',

  registerTab: 'Regístrate',
  loginTab: 'Ya me registré',
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
  streamLoading: 'Cargando la transmisión…',
  streamFailed: 'No pudimos cargar la transmisión.',
  streamFailedBody: 'Puede que aún no haya empezado. Lo reintentamos cada 15 s.',
  streamStalled: 'La transmisión se detuvo un momento. Esperando datos…',
  retry: 'Reintentar',
  originNotAllowed: (origin: string) =>
    `Este sitio (${origin}) no está entre los orígenes permitidos del evento: añádelo en «Orígenes permitidos para insertar», en la administración del evento.`,

  chatTitle: 'Chat',
  chatEmpty: 'Aún no hay mensajes. ¡Saluda!',
  chatLabel: 'Mensaje para el chat',
  chatPlaceholder: 'Escribe un mensaje…',
  chatMessages: 'Mensajes del chat',
  chatLoadingOlder: 'Cargando mensajes anteriores…',
  chatStart: 'Inicio del chat',
  newMessagesBelow: (count: number) => (count === 1 ? '↓ 1 mensaje nuevo' : `↓ ${count} mensajes nuevos`),
  chatNews: (count: number, author: string, text: string) =>
    count === 1 ? `${author} en el chat: ${text}` : `${count} mensajes nuevos en el chat. El último, de ${author}: ${text}`,
  approvedNews: (count: number, text: string) =>
    count === 1 ? `Nueva pregunta aprobada: ${text}` : `${count} preguntas aprobadas nuevas. La última: ${text}`,
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
  sortBy: 'Ordenar por',
  sortVotes: 'Votos',
  sortTime: 'Hora',
  markRead: 'Marcar como respondida',
  highlight: 'Destacar',
  clearHighlight: 'Quitar de pantalla',
  highlighted: 'Pregunta destacada',
  noQuestions: 'Aún no hay preguntas aprobadas.',
  readCount: (count: number) => (count === 1 ? '1 pregunta respondida' : `${count} preguntas respondidas`),
  presentMode: 'Modo presentación',
  presentHint: 'Para el proyector, sin botones. F: pantalla completa. Esc: volver.',
  joinTitle: 'Envía tus preguntas',
  joinBody: 'Entra desde tu móvil o tu portátil:',
  joinQr: (url: string) => `Código QR que abre ${url}`,
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
  linesOnTheirWay: 'Waiting to be sent',
  linesNotSent: 'Not sent',
  backToTheBox: 'Edit again',
  discard: 'Discard',

  registerTab: 'Register',
  loginTab: 'Already registered',
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
  streamLoading: 'Loading the broadcast…',
  streamFailed: 'We could not load the broadcast.',
  streamFailedBody: 'It may not have started yet. We retry every 15 s.',
  streamStalled: 'The broadcast paused for a moment. Waiting for data…',
  retry: 'Retry',
  originNotAllowed: (origin) => `This site (${origin}) is not among the event's allowed origins: add it under “Origins allowed to embed” in the event's admin pages.`,

  chatTitle: 'Chat',
  chatEmpty: 'No messages yet. Say hello!',
  chatLabel: 'Chat message',
  chatPlaceholder: 'Write a message…',
  chatMessages: 'Chat messages',
  chatLoadingOlder: 'Loading earlier messages…',
  chatStart: 'Start of the chat',
  newMessagesBelow: (count) => (count === 1 ? '↓ 1 new message' : `↓ ${count} new messages`),
  chatNews: (count, author, text) =>
    count === 1 ? `${author} in the chat: ${text}` : `${count} new chat messages. The latest, from ${author}: ${text}`,
  approvedNews: (count, text) => (count === 1 ? `New approved question: ${text}` : `${count} new approved questions. The latest: ${text}`),
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
  sortBy: 'Sort by',
  sortVotes: 'Votes',
  sortTime: 'Time',
  markRead: 'Mark as answered',
  highlight: 'Highlight',
  clearHighlight: 'Take off screen',
  highlighted: 'Highlighted question',
  noQuestions: 'No approved questions yet.',
  readCount: (count) => (count === 1 ? '1 question answered' : `${count} questions answered`),
  presentMode: 'Presentation mode',
  presentHint: 'For the projector, no buttons. F: full screen. Esc: back.',
  joinTitle: 'Send your questions',
  joinBody: 'Join from your phone or laptop:',
  joinQr: (url) => `QR code that opens ${url}`,
};

const textsByLang: Record<Lang, WidgetTexts> = { es, en };

export function widgetTexts(lang: Lang): WidgetTexts {
  return textsByLang[lang];
}

/**
 * A failure as a person reads it, in the widget's language (not the client's). `brief` is for
 * the other widgets of a session whose first widget already spells the problem out.
 */
export function describeFailure(error: unknown, lang: Lang, brief = false): string {
  const code = (error as { code?: ErrorCode } | null)?.code;
  // The producer reads this one: name the site to add, which errorText cannot know.
  if (code === ErrorCode.originNotAllowed && !brief && globalThis.location) return widgetTexts(lang).originNotAllowed(location.origin);
  return errorText(code ?? 'internal_error', lang);
}
