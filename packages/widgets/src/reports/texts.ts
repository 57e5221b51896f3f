import type { Lang, QuestionStatus } from '@palco/sdk';

/** The report's words, Spanish first; kept apart from the other widgets' so embed.js does not carry them. */
const es = {
  title: 'Informe del evento',
  live: 'En vivo',
  final: 'Informe final',
  updatedAt: (time: string) => `Actualizado a las ${time}`,
  refreshing: 'Actualizando…',
  signIn: 'Inicia sesión como moderador o administrador para ver el informe.',

  activeNow: 'Conectados ahora',
  registered: 'Registrados',
  watchers: 'Se conectaron',
  peak: 'Pico de audiencia',
  peakAt: (time: string) => `a las ${time}`,
  noPeak: 'Sin datos aún',
  totalMinutes: 'Minutos vistos (total)',
  averageMinutes: 'Minutos por asistente',
  chatMessages: 'Mensajes de chat',
  questions: 'Preguntas',

  concurrencyTitle: 'Audiencia a lo largo del evento',
  concurrencySeries: 'Conectados',
  concurrencyEmpty: 'La curva aparece con la primera muestra (una por minuto mientras el evento está en vivo).',
  peakLabel: (viewers: number, time: string) => `Pico: ${viewers} · ${time}`,
  distributionTitle: 'Tiempo de visualización',
  distributionSeries: 'Asistentes',
  bucket: (from: number, to: number | null) => (to === null ? `${from}+` : from === 0 ? `< ${to}` : `${from}–${to}`),
  minutesAxis: 'Minutos vistos',
  timeAxis: 'Hora',

  byStatus: 'Preguntas por estado',
  status: { pending: 'Pendientes', approved: 'Aprobadas', read: 'Respondidas', rejected: 'Rechazadas' } satisfies Record<QuestionStatus, string>,
  statusOne: { pending: 'Pendiente', approved: 'Aprobada', read: 'Respondida', rejected: 'Rechazada' } satisfies Record<QuestionStatus, string>,
  allStatuses: 'Todos los estados',
  statusColumn: 'Estado',

  participantsTitle: 'Participantes',
  questionsTitle: 'Preguntas y votos',
  search: 'Buscar',
  searchParticipants: 'Nombre, correo o teléfono',
  searchQuestions: 'Texto o autor',
  name: 'Nombre',
  email: 'Correo',
  phone: 'Teléfono',
  registeredAt: 'Registro',
  minutes: 'Minutos',
  question: 'Pregunta',
  author: 'Autor',
  votes: 'Votos',
  askedAt: 'Hora',
  sortBy: (column: string) => `Ordenar por ${column}`,
  noRows: 'Nada coincide con la búsqueda.',
  range: (from: string, to: string, total: string) => `${from}–${to} de ${total}`,
  previous: 'Anterior',
  next: 'Siguiente',

  downloads: 'Exportar (CSV)',
  downloadParticipants: 'Participantes',
  downloadQuestions: 'Preguntas',
  downloadChat: 'Chat',
};

export type ReportTexts = typeof es;

const en: ReportTexts = {
  title: 'Event report',
  live: 'Live',
  final: 'Final report',
  updatedAt: (time) => `Updated at ${time}`,
  refreshing: 'Updating…',
  signIn: 'Sign in as a moderator or administrator to see the report.',

  activeNow: 'Watching now',
  registered: 'Registered',
  watchers: 'Connected at least once',
  peak: 'Peak audience',
  peakAt: (time) => `at ${time}`,
  noPeak: 'No data yet',
  totalMinutes: 'Minutes watched (total)',
  averageMinutes: 'Minutes per attendee',
  chatMessages: 'Chat messages',
  questions: 'Questions',

  concurrencyTitle: 'Audience over the event',
  concurrencySeries: 'Watching',
  concurrencyEmpty: 'The curve appears with the first sample (one a minute while the event is live).',
  peakLabel: (viewers, time) => `Peak: ${viewers} · ${time}`,
  distributionTitle: 'Watch time',
  distributionSeries: 'Attendees',
  bucket: (from, to) => (to === null ? `${from}+` : from === 0 ? `< ${to}` : `${from}–${to}`),
  minutesAxis: 'Minutes watched',
  timeAxis: 'Time',

  byStatus: 'Questions by status',
  status: { pending: 'Pending', approved: 'Approved', read: 'Answered', rejected: 'Rejected' },
  statusOne: { pending: 'Pending', approved: 'Approved', read: 'Answered', rejected: 'Rejected' },
  allStatuses: 'All statuses',
  statusColumn: 'Status',

  participantsTitle: 'Participants',
  questionsTitle: 'Questions and votes',
  search: 'Search',
  searchParticipants: 'Name, email or phone',
  searchQuestions: 'Text or author',
  name: 'Name',
  email: 'Email',
  phone: 'Phone',
  registeredAt: 'Registered',
  minutes: 'Minutes',
  question: 'Question',
  author: 'Author',
  votes: 'Votes',
  askedAt: 'Time',
  sortBy: (column) => `Sort by ${column}`,
  noRows: 'Nothing matches the search.',
  range: (from, to, total) => `${from}–${to} of ${total}`,
  previous: 'Previous',
  next: 'Next',

  downloads: 'Export (CSV)',
  downloadParticipants: 'Participants',
  downloadQuestions: 'Questions',
  downloadChat: 'Chat',
};

export function reportTexts(lang: Lang): ReportTexts {
  return lang === 'en' ? en : es;
}

/** Times and numbers as people of that language write them. */
export function formatters(lang: Lang) {
  const locale = lang === 'en' ? 'en-GB' : 'es-ES';
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const timeWithSeconds = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
  const number = new Intl.NumberFormat(locale);
  return {
    time: (iso: string | number) => time.format(new Date(iso)),
    timeWithSeconds: (iso: string) => timeWithSeconds.format(new Date(iso)),
    dateTime: (iso: string) => dateTime.format(new Date(iso)),
    number: (value: number) => number.format(value),
  };
}
export type Formatters = ReturnType<typeof formatters>;
