import type { ErrorCode } from './codes.js';

export type Lang = 'es' | 'en';
export const defaultLang: Lang = 'es';
export const langs: readonly Lang[] = ['es', 'en'];

/** Picks a supported language from a tag or an Accept-Language header ("en-US,en;q=0.9"). */
export function pickLang(...candidates: Array<string | null | undefined>): Lang {
  for (const candidate of candidates) {
    if (!candidate) continue;
    const ranked = candidate
      .split(',')
      .map((part) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = params.find((p) => p.trim().startsWith('q='));
        return { tag: tag.toLowerCase().slice(0, 2), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
      })
      .sort((a, b) => b.q - a.q);
    for (const { tag } of ranked) if ((langs as readonly string[]).includes(tag)) return tag as Lang;
  }
  return defaultLang;
}

const errorTexts: Record<ErrorCode, Record<Lang, string>> = {
  invalid_input: { es: 'Revisa los datos marcados.', en: 'Please check the highlighted fields.' },
  malformed_json: { es: 'La solicitud no es JSON válido.', en: 'The request body is not valid JSON.' },
  payload_too_large: { es: 'La solicitud es demasiado grande.', en: 'The request is too large.' },
  unsupported_media_type: {
    es: 'Envía los datos como JSON o como formulario.',
    en: 'Send the data as JSON or as a form.',
  },
  not_found: { es: 'No encontramos lo que buscas.', en: 'We could not find what you are looking for.' },
  method_not_allowed: {
    es: 'Esta dirección no admite ese método.',
    en: 'This address does not accept that method.',
  },
  event_not_found: { es: 'Este evento no existe.', en: 'This event does not exist.' },
  already_registered: {
    es: 'Este correo ya está registrado en el evento. Inicia sesión.',
    en: 'This email is already registered for the event. Please sign in.',
  },
  domain_not_allowed: {
    es: 'Este evento solo admite correos de los dominios autorizados.',
    en: 'This event only accepts emails from its authorised domains.',
  },
  event_full: {
    es: 'El evento está completo: ya no quedan plazas.',
    en: 'The event is full: there are no seats left.',
  },
  waitlisted: {
    es: 'Estás en la lista de espera. Te avisaremos cuando tengas plaza.',
    en: 'You are on the waitlist. We will let you know when a seat is yours.',
  },
  consent_required: {
    es: 'Lee y acepta el aviso de privacidad del evento para continuar.',
    en: "Please read and accept the event's privacy notice to continue.",
  },
  event_closed: { es: 'Transmisión finalizada.', en: 'The broadcast has ended.' },
  registration_closed: { es: 'El registro está cerrado.', en: 'Registration is closed.' },
  invalid_credentials: { es: 'Correo o contraseña incorrectos.', en: 'Wrong email or password.' },
  wrong_access_code: {
    es: 'El código de acceso no es correcto: usa el que te dio quien organiza el evento.',
    en: "That access code is not right: use the one the event's organiser gave you.",
  },
  wrong_password: { es: 'La contraseña de este correo no es correcta.', en: 'The password for this email is not right.' },
  invalid_identity: {
    es: 'No pudimos verificar tu identidad. Vuelve a cargar la página.',
    en: 'We could not verify your identity. Please reload the page.',
  },
  staff_account: {
    es: 'Este correo pertenece al equipo del evento: inicia sesión con tu contraseña.',
    en: "This email belongs to the event's staff: sign in with your password.",
  },
  cross_site_sign_in: {
    es: 'Abre la página del evento para registrarte o iniciar sesión.',
    en: "Open the event's own page to register or sign in.",
  },
  banned: { es: 'Tu acceso a este evento fue bloqueado.', en: 'Your access to this event has been blocked.' },
  rate_limited: {
    es: 'Demasiados intentos. Espera un momento y vuelve a intentarlo.',
    en: 'Too many attempts. Please wait a moment and try again.',
  },
  not_authenticated: { es: 'Inicia sesión para continuar.', en: 'Please sign in to continue.' },
  forbidden: { es: 'No tienes permiso para hacer esto.', en: 'You are not allowed to do this.' },
  origin_not_allowed: {
    es: 'Este sitio no está autorizado para este evento.',
    en: 'This site is not allowed for this event.',
  },
  slug_taken: { es: 'Ya existe un evento con esa dirección.', en: 'An event with that address already exists.' },
  email_taken: {
    es: 'Ya existe una cuenta con ese correo en este evento.',
    en: 'An account with that email already exists for this event.',
  },
  webhook_url_not_allowed: {
    es: 'Esa URL apunta a una red privada o local: usa una dirección pública.',
    en: 'That URL points to a private or local network: use a public address.',
  },
  too_many_webhooks: {
    es: 'Este evento ya tiene el máximo de webhooks. Borra uno que no uses.',
    en: 'This event already has the most webhooks allowed. Delete one you do not use.',
  },
  chat_blocked: { es: 'No puedes escribir en el chat.', en: 'You may not write in the chat.' },
  qa_blocked: { es: 'No puedes enviar preguntas.', en: 'You may not send questions.' },
  question_not_found: { es: 'Esa pregunta no existe.', en: 'That question does not exist.' },
  invalid_state: {
    es: 'Esa pregunta ya no está en ese estado.',
    en: 'That question is no longer in that state.',
  },
  already_voted: { es: 'Ya votaste por esta pregunta.', en: 'You already voted for this question.' },
  poll_not_found: { es: 'Esa encuesta no existe en este evento.', en: 'That poll does not exist in this event.' },
  time_up: { es: 'Se acabó el tiempo para responder.', en: 'Time is up for this answer.' },
  too_many_blocked_words: {
    es: 'La lista de palabras bloqueadas admite hasta 1000 palabras.',
    en: 'The blocked words list holds at most 1000 words.',
  },
  stale: {
    es: 'Otra persona cambió esta pregunta. Revisa el texto nuevo.',
    en: 'Someone else changed this question. Check the new text.',
  },
  question_being_edited: {
    es: 'Otro moderador está editando esta pregunta.',
    en: 'Another moderator is editing this question.',
  },
  question_archived: {
    es: 'Esa pregunta está archivada. Restáurala primero.',
    en: 'That question is archived. Restore it first.',
  },
  blocked_words: {
    es: 'Tu mensaje contiene palabras que este evento no admite.',
    en: 'Your message contains words this event does not allow.',
  },
  anonymous_not_allowed: {
    es: 'Este evento no admite preguntas anónimas.',
    en: 'This event does not take anonymous questions.',
  },
  unknown_type: { es: 'Mensaje desconocido.', en: 'Unknown message.' },
  service_unavailable: {
    es: 'El servicio no está disponible ahora. Vuelve a intentarlo en unos segundos.',
    en: 'The service is unavailable right now. Please try again in a few seconds.',
  },
  internal_error: {
    es: 'Algo salió mal de nuestro lado. Vuelve a intentarlo.',
    en: 'Something went wrong on our side. Please try again.',
  },
  timeout: { es: 'El servidor no respondió a tiempo.', en: 'The server did not answer in time.' },
  disconnected: { es: 'Sin conexión. Reintentando…', en: 'Disconnected. Retrying…' },
  network_error: {
    es: 'No pudimos conectar con el servidor.',
    en: 'We could not reach the server.',
  },
  websocket_unavailable: {
    es: 'Esta página no permite conexiones en directo (WebSocket): el chat, las preguntas y las encuestas no pueden funcionar aquí.',
    en: 'This page does not allow live connections (WebSocket): chat, questions and polls cannot work here.',
  },
  confirmation_required: {
    es: 'Confirma tu correo con el enlace que te enviamos para participar.',
    en: 'Confirm your email with the link we sent you to take part.',
  },
  event_on_demand: {
    es: 'La transmisión terminó: la repetición es solo para ver.',
    en: 'The broadcast has ended: the replay is watch-only.',
  },
  sign_in_by_link: {
    es: 'Este evento no usa código de acceso: pide un enlace de acceso con tu correo.',
    en: 'This event uses no access code: ask for a sign-in link with your email.',
  },
  mail_off: {
    es: 'Este sitio no envía correos: entra con el código de acceso o desde la página del organizador.',
    en: 'This site sends no email: sign in with the access code or from the organiser\'s page.',
  },
  sign_in_link_invalid: {
    es: 'Este enlace de acceso no es válido. Pide uno nuevo.',
    en: 'This sign-in link is not valid. Ask for a new one.',
  },
  sign_in_link_expired: {
    es: 'Este enlace de acceso caducó. Pide uno nuevo.',
    en: 'This sign-in link has expired. Ask for a new one.',
  },
  sign_in_link_used: {
    es: 'Este enlace de acceso ya se usó. Pide uno nuevo.',
    en: 'This sign-in link has already been used. Ask for a new one.',
  },
  not_registered: {
    es: 'Ese correo no está registrado en el evento. Regístrate para entrar.',
    en: 'That email is not registered for the event. Register to join.',
  },
  unsubscribe_link_invalid: {
    es: 'Este enlace para darse de baja no es válido. Usa el del último correo que recibiste.',
    en: 'This unsubscribe link is not valid. Use the one in the latest email you received.',
  },
  mail_not_kept: {
    es: 'Palco no guarda una copia de este correo: aún no sale, o salió por el servidor SMTP (búscalo allí por su Message-ID).',
    en: 'Palco keeps no copy of this email: it has not left yet, or it left through the SMTP server (find it there by its Message-ID).',
  },
  event_not_scheduled: {
    es: 'Este evento aún no tiene fecha.',
    en: 'This event has no date yet.',
  },
};

export function errorText(code: ErrorCode, lang: Lang = defaultLang): string {
  return (errorTexts[code] ?? errorTexts.internal_error)[lang];
}

/** Problems of one field, as named by the schemas' messages. */
const fieldProblemTexts: Record<string, Record<Lang, string>> = {
  required: { es: 'Este campo es obligatorio.', en: 'This field is required.' },
  no_visible_text: {
    es: 'Escribe al menos una letra, cifra o emoji visible.',
    en: 'Write at least one visible letter, digit or emoji.',
  },
  invalid_type: { es: 'El valor no es válido.', en: 'The value is not valid.' },
  too_long: { es: 'Es demasiado largo.', en: 'It is too long.' },
  cid_in_other_event: {
    es: 'Este identificador de mensaje ya se usó en otro evento: envíalo con uno nuevo.',
    en: 'This message id was already used in another event: send it with a new one.',
  },
  too_short: { es: 'Es demasiado corto.', en: 'It is too short.' },
  too_small: { es: 'Es demasiado pequeño.', en: 'It is too small.' },
  too_large: { es: 'Es demasiado grande.', en: 'It is too large.' },
  invalid_email: { es: 'Escribe un correo válido.', en: 'Enter a valid email address.' },
  invalid_phone: { es: 'Escribe un teléfono válido.', en: 'Enter a valid phone number.' },
  invalid_domain: { es: 'Escribe un dominio válido (ej. empresa.com).', en: 'Enter a valid domain (e.g. company.com).' },
  invalid_origin: {
    es: 'Escribe un origen válido (ej. https://empresa.com).',
    en: 'Enter a valid origin (e.g. https://company.com).',
  },
  invalid_url: { es: 'Escribe una URL que empiece por https://.', en: 'Enter a URL starting with https://.' },
  youtube_handle: {
    es: 'YouTube no deja reproducir un enlace con @usuario. Usa el del canal: youtube.com/channel/UC…/live (en YouTube: Configuración › Configuración avanzada › ID del canal).',
    en: 'YouTube does not let an @handle link be played. Use the channel’s: youtube.com/channel/UC…/live (on YouTube: Settings › Advanced settings › Channel ID).',
  },
  youtube_unplayable: {
    es: 'Este enlace de YouTube no lleva a un video ni a la transmisión de un canal.',
    en: 'This YouTube link leads to neither a video nor a channel’s live stream.',
  },
  invalid_video_kind: { es: 'Elige automático, HLS o archivo de video.', en: 'Choose automatic, HLS or video file.' },
  invalid_slug: {
    es: 'Usa de 2 a 63 letras minúsculas, números o guiones.',
    en: 'Use 2 to 63 lowercase letters, digits or hyphens.',
  },
  invalid_topic: {
    es: 'Elige entre user_registered, registration_confirmed, question_approved, question_answered, event_closed, report_ready, poll_closed y attendance.',
    en: 'Choose among user_registered, registration_confirmed, question_approved, question_answered, event_closed, report_ready, poll_closed and attendance.',
  },
  invalid_role: { es: 'Elige moderador o speaker.', en: 'Choose moderator or speaker.' },
  invalid_flag: { es: 'Acción de moderación desconocida.', en: 'Unknown moderation action.' },
  invalid_sort: { es: 'Orden no válido.', en: 'Invalid sort order.' },
  invalid_status: {
    es: 'Elige pending, approved, read o rejected.',
    en: 'Choose pending, approved, read or rejected.',
  },
  invalid_blocked_words_action: { es: 'Elige hold o refuse.', en: 'Choose hold or refuse.' },
  invalid_ref: { es: 'Referencia no válida.', en: 'Invalid reference.' },
  invalid_cid: {
    es: 'El identificador debe tener de 8 a 64 letras, cifras, guiones o guiones bajos.',
    en: 'The id must be 8 to 64 letters, digits, hyphens or underscores.',
  },
  unknown_field: { es: 'Campo desconocido.', en: 'Unknown field.' },
  invalid_field_key: {
    es: 'La clave usa de 1 a 40 minúsculas, cifras o guiones bajos y empieza por letra.',
    en: 'The key uses 1 to 40 lowercase letters, digits or underscores and starts with a letter.',
  },
  duplicate_key: { es: 'Otra pregunta ya usa esta clave.', en: 'Another question already uses this key.' },
  invalid_field_type: {
    es: 'Elige texto, texto largo, lista, varias opciones, casilla, número o país.',
    en: 'Choose text, long text, list, several options, checkbox, number or country.',
  },
  options_mismatch: {
    es: 'Solo las listas llevan opciones, y toda lista necesita al menos una.',
    en: 'Only lists take options, and every list needs at least one.',
  },
  duplicate_option: { es: 'Hay opciones repetidas.', en: 'Some options are repeated.' },
  range_mismatch: { es: 'Solo los números llevan mínimo y máximo.', en: 'Only numbers take a minimum and maximum.' },
  invalid_range: { es: 'El máximo es menor que el mínimo.', en: 'The maximum is below the minimum.' },
  not_an_option: { es: 'Elige una de las opciones.', en: 'Choose one of the options.' },
  invalid_number: { es: 'Escribe un número.', en: 'Enter a number.' },
  invalid_country: { es: 'Elige un país de la lista.', en: 'Choose a country from the list.' },
  // Refusals about one field are shown beside it too, saying what the whole refusal says.
  domain_not_allowed: errorTexts.domain_not_allowed,
  not_registered: errorTexts.not_registered,
  wrong_access_code: errorTexts.wrong_access_code,
  wrong_password: errorTexts.wrong_password,
  consent_required: {
    es: 'Acepta el aviso de privacidad para registrarte.',
    en: 'Accept the privacy notice to register.',
  },
  invalid_action: { es: 'Acción desconocida.', en: 'Unknown action.' },
  invalid_date: { es: 'Escribe una fecha ISO 8601.', en: 'Enter an ISO 8601 date.' },
  invalid_instant: {
    es: 'Escribe una fecha y hora con zona (ej. 2026-12-01T18:00:00Z).',
    en: 'Enter a date and time with its offset (e.g. 2026-12-01T18:00:00Z).',
  },
  invalid_time_zone: {
    es: 'Escribe una zona horaria IANA (ej. America/Mexico_City).',
    en: 'Enter an IANA time zone (e.g. America/Mexico_City).',
  },
  ends_before_start: { es: 'El final debe ser posterior al inicio.', en: 'The end must come after the start.' },
  invalid_sign_in: { es: 'Elige link o access_code.', en: 'Choose link or access_code.' },
  needs_mail: {
    es: 'Este sitio no envía correos (PALCO_MAIL=off): los asistentes entran con el código de acceso.',
    en: 'This site sends no email (PALCO_MAIL=off): attendees sign in with the access code.',
  },
  invalid_kind: {
    es: 'Elige single, multiple, rating, word_cloud, open_text o quiz.',
    en: 'Choose single, multiple, rating, word_cloud, open_text or quiz.',
  },
  too_few_options: { es: 'Escribe al menos 2 opciones.', en: 'Write at least 2 options.' },
  too_many_options: { es: 'Caben hasta 50 opciones.', en: 'A poll holds at most 50 options.' },
  unknown_option: { es: 'Esa opción no existe en esta encuesta.', en: 'That option does not exist in this poll.' },
  one_choice: { es: 'Elige una sola opción.', en: 'Choose exactly one option.' },
  too_many_choices: { es: 'Elegiste más opciones de las permitidas.', en: 'You chose more options than allowed.' },
  too_many_words: { es: 'Escribe hasta 3 palabras.', en: 'Write at most 3 words.' },
  duplicate_word: { es: 'Repetiste una palabra.', en: 'You repeated a word.' },
  not_for_kind: { es: 'Esta encuesta no lleva este dato.', en: 'This poll does not take this field.' },
  invalid_emoji: { es: 'Esa reacción no existe.', en: 'That reaction does not exist.' },
};

export function fieldProblemText(key: string, lang: Lang = defaultLang): string {
  return (fieldProblemTexts[key] ?? fieldProblemTexts.invalid_type!)[lang];
}
