import type { Context } from 'koa';
import { h, type ComponentChild } from 'preact';
import { isModeratorRole, isStaffRole, type ErrorBody, type Lang, type Role } from '@palco/sdk/protocol';
import { belongsToEvent, sessionFromToken, tokenFromRequest } from '../../auth/session.js';
import type { AppDeps } from '../../context.js';
import type { EventRow, UserRow } from '../../db/models.js';
import { MessagePage } from '../../pages/message-page.js';
import { AboutEvent } from '../../pages/about-event.js';
import { otherLang, renderDocument, withLang } from '../../pages/render.js';
import { sendShell, shellPolicy, ShellDocument } from '../../pages/shell.js';
import { textsFor } from '../../pages/texts.js';
import { formPagePolicy, setPagePolicy } from '../../security-headers.js';
import { redirectFor } from '../../services/events.js';
import { splitList, toPublicEvent } from '../../services/serialize.js';
import { chrome, sendPage } from './forms.js';

/** Who a hosted page of an event is for; anyone else signed in is told so (`staffOnly` in pages/texts.ts). */
export type PageAudience = 'everyone' | 'staff' | 'moderators';

const admits: Record<PageAudience, (role: Role) => boolean> = {
  everyone: () => true,
  staff: isStaffRole,
  moderators: isModeratorRole,
};

/** One hosted page of an event: who may open it, the script it loads and the widgets it shows. */
export interface HostedPage {
  title: Record<Lang, string>;
  audience: PageAudience;
  /** Where someone not signed in to the event is sent. */
  signedOutPath(slug: string): string;
  /** Whether the event's allowed origins may show it in a frame (moderation and reports stay ours alone). */
  embeddable: boolean;
  script: string;
  /** The class of its <main>, for its layout in pages/styles.ts. */
  name: string;
  /** `query` is the page's query string (`?mode=present` for the speaker board's presentation). */
  body(event: EventRow, lang: Lang, query: Readonly<Record<string, unknown>>): ComponentChild;
}

export const watchPage: HostedPage = {
  // Not "live": the same page is the waiting room before the start and the replay after the close.
  title: { es: 'Transmisión', en: 'Broadcast' },
  audience: 'everyone',
  signedOutPath: (slug) => `/e/${slug}`,
  embeddable: true,
  script: '/embed.js',
  name: 'watch',
  body: (event, lang) => [
    h('palco-player', { event: event.slug, lang }),
    h('palco-polls', { event: event.slug, lang }),
    h('div', { class: 'side' }, [h('palco-chat', { event: event.slug, lang }), h('palco-qa', { event: event.slug, lang })]),
    h(AboutEvent, { event: toPublicEvent(event), lang }),
  ],
};

/** What sets one staff page apart from the others. */
interface StaffPageOptions extends Pick<HostedPage, 'title' | 'audience' | 'embeddable' | 'name'> {
  /** The one widget it shows. */
  element: string;
  script?: string;
  /** The widget's attributes besides `event` and `lang`, from the page's query string. */
  attributesFrom?: (query: Readonly<Record<string, unknown>>) => Record<string, string | undefined>;
}

/** A page of the event's staff: one widget in a <main>; whoever is not signed in is sent to sign in. */
function staffPage({ element, script = '/embed.js', attributesFrom, ...page }: StaffPageOptions): HostedPage {
  return {
    ...page,
    script,
    signedOutPath: (slug) => `/e/${slug}/login`,
    body: (event, lang, query) => h(element, { event: event.slug, lang, ...attributesFrom?.(query) }),
  };
}

export const modPage: HostedPage = {
  ...staffPage({
    title: { es: 'Moderación', en: 'Moderation' },
    audience: 'moderators',
    embeddable: false,
    name: 'mod',
    element: 'palco-mod-queue',
    // The queue and the poll panel are for a few of the staff: their code stays out of
    // embed.js, which every attendee loads.
    script: '/moderation.js',
  }),
  // The poll panel sits beside the queue: one moderator runs both during a session.
  body: (event, lang) => [h('palco-mod-queue', { event: event.slug, lang }), h('palco-poll-panel', { event: event.slug, lang })],
};
export const speakerPage = staffPage({
  title: { es: 'Preguntas', en: 'Questions' },
  audience: 'staff',
  embeddable: true,
  name: 'speaker',
  element: 'palco-speaker-board',
  // `/e/{slug}/speaker?mode=present` is the projector's page: the presentation, without the header.
  attributesFrom: (query) => ({ mode: query.mode === 'present' ? 'present' : undefined }),
});
export const reportPage = staffPage({
  title: { es: 'Informe', en: 'Report' },
  audience: 'moderators',
  embeddable: false,
  // uPlot is for this page alone, so the report has its own script beside embed.js.
  script: '/reports.js',
  name: 'reports',
  element: 'palco-report',
});

interface ShellProps {
  page: HostedPage;
  query: Readonly<Record<string, unknown>>;
  event: EventRow;
  user: UserRow;
  lang: Lang;
  switchHref: string;
}

function Shell({ page, query, event, user, lang, switchHref }: ShellProps) {
  return h(
    ShellDocument,
    {
      lang,
      title: `${event.title} · ${page.title[lang]}`,
      script: page.script,
      name: page.name,
      header: {
        lang,
        switchHref,
        event,
        section: page.title[lang],
        account: { name: user.name, role: user.role, signOutAction: withLang(`/e/${event.slug}/logout`, lang) },
      },
    },
    page.body(event, lang, query),
  );
}

/**
 * Someone signed in whose role the page is not for (an attendee at `/mod`): 403 and a page
 * saying whom it is for, with the way back to their own page and the sign-in for staff.
 */
function refuseRole(ctx: Context, page: HostedPage, event: EventRow, user: UserRow, framedBy: readonly string[]) {
  const { lang } = ctx.state;
  const texts = textsFor(lang);
  setPagePolicy(ctx, formPagePolicy, framedBy);
  ctx.status = 403;
  sendPage(ctx, MessagePage, {
    ...chrome(ctx),
    event: toPublicEvent(event),
    heading: texts.staffOnly[page.audience === 'moderators' ? 'moderators' : 'staff'],
    detail: `${texts.signedInAs(user.name)} (${texts.roleNames[user.role]}).`,
    links: [
      { href: withLang(redirectFor(user.role, event.slug), lang), text: texts.backToYourPage },
      { href: withLang(`/e/${event.slug}/login`, lang), text: texts.signInAsStaff },
    ],
  });
}

/**
 * The handler of a hosted page: its shell for those it admits, the sign-in for those not
 * signed in, a page saying whom it is for to anyone else, and every error as a page rather than JSON.
 */
export function hostedPageRoute(deps: AppDeps, page: HostedPage) {
  return async (ctx: Context) => {
    const lang = ctx.state.lang;
    const switchHref = withLang(ctx.url, otherLang(lang));
    ctx.state.renderError = (error: ErrorBody) => {
      setPagePolicy(ctx, formPagePolicy);
      ctx.type = 'html';
      ctx.body = renderDocument(MessagePage, { lang, switchHref, heading: error.message });
    };
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    const framedBy = page.embeddable ? splitList(event.allowed_origins) : [];
    // The redirects below keep the page's framing, so a framed page may send its visitor on.
    setPagePolicy(ctx, shellPolicy, framedBy);
    const session = await sessionFromToken(deps.tokens, tokenFromRequest(ctx, event.id));
    const user = session?.user;
    if (!user || user.banned || !belongsToEvent(user, event)) {
      return ctx.redirect(withLang(page.signedOutPath(event.slug), lang));
    }
    if (!admits[page.audience](user.role)) return refuseRole(ctx, page, event, user, framedBy);
    // A closed event still gets its page: the widgets show "Transmisión finalizada" or the final report.
    sendShell(ctx, framedBy, Shell, { page, query: ctx.query, event, user, lang, switchHref });
  };
}
