import Router from '@koa/router';
import type { Context } from 'koa';
import { h } from 'preact';
import { isModeratorRole, isStaffRole, type ErrorBody, type Lang, type Role } from '@palco/sdk/protocol';
import { belongsToEvent, sessionFromToken, tokenFromRequest } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import type { EventRow } from '../db/models.js';
import { MessagePage } from '../pages/message-page.js';
import { otherLang, renderDocument, withLang } from '../pages/render.js';
import { languageSwitch, sendShell, shellBaseCss, shellPolicy } from '../pages/shell.js';
import { formPagePolicy, setPagePolicy } from '../security-headers.js';
import { findEventBySlug, redirectFor } from '../services/events.js';
import { splitList } from '../services/serialize.js';
import type { ScriptRoute } from './scripts.js';

type HostedPage = 'watch' | 'mod' | 'speaker';

const pageTitles: Record<HostedPage, Record<Lang, string>> = {
  watch: { es: 'En vivo', en: 'Live' },
  mod: { es: 'Moderación', en: 'Moderation' },
  speaker: { es: 'Preguntas', en: 'Questions' },
};

const admits: Record<HostedPage, (role: Role) => boolean> = {
  watch: () => true,
  mod: isModeratorRole,
  speaker: isStaffRole,
};

const shellCss = `${shellBaseCss}
.watch { display: grid; gap: 20px; grid-template-columns: minmax(0, 1fr) minmax(300px, 380px); align-items: start; }
.watch .side { display: flex; flex-direction: column; gap: 20px; }
.watch palco-chat { --palco-chat-height: 460px; }
@media (max-width: 900px) {
  .watch { grid-template-columns: minmax(0, 1fr); }
  .watch palco-chat { --palco-chat-height: 380px; }
}
.speaker palco-speaker-board { min-height: calc(100vh - 140px); }
`;
const policy = shellPolicy(shellCss);

/** The pages a producer may show in a frame on the event's allowed origins; moderation stays ours alone. */
const embeddable: Record<HostedPage, boolean> = { watch: true, mod: false, speaker: true };

function pageBody(page: HostedPage, slug: string, lang: Lang) {
  const common = { event: slug, lang };
  switch (page) {
    case 'watch':
      return h('main', { class: 'watch' }, [
        h('palco-player', common),
        h('div', { class: 'side' }, [h('palco-chat', common), h('palco-qa', common)]),
      ]);
    case 'mod':
      return h('main', { class: 'mod' }, [h('palco-mod-queue', common)]);
    case 'speaker':
      return h('main', { class: 'speaker' }, [h('palco-speaker-board', common)]);
  }
}

function Shell({ page, event, lang, switchHref }: { page: HostedPage; event: EventRow; lang: Lang; switchHref: string }) {
  return h('html', { lang }, [
    h('head', null, [
      h('meta', { charset: 'utf-8' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('title', null, `${event.title} · ${pageTitles[page][lang]}`),
      h('style', { dangerouslySetInnerHTML: { __html: shellCss } }),
      h('script', { src: '/embed.js', defer: true }),
    ]),
    h('body', null, [
      h('header', { class: 'topbar' }, [
        event.logo_url ? h('img', { src: event.logo_url, alt: '' }) : null,
        h('h1', null, event.title),
        languageSwitch(lang, switchHref),
      ]),
      pageBody(page, event.slug, lang),
    ]),
  ]);
}

/** GET /embed.js, /embed/hls.js, and the hosted pages /e/{slug}/watch, /mod and /speaker. */
export function widgetRoutes(deps: AppDeps, script: ScriptRoute): Router {
  const router = new Router();
  router.get('/embed.js', script('embed.js'));
  router.get('/embed/hls.js', script('hls.js'));

  const hostedPage = (page: HostedPage) => async (ctx: Context) => {
    const lang = ctx.state.lang;
    const switchHref = withLang(ctx.url, otherLang(lang));
    ctx.state.renderError = (error: ErrorBody) => {
      setPagePolicy(ctx, formPagePolicy);
      ctx.type = 'html';
      ctx.body = renderDocument(MessagePage, { lang, switchHref, heading: error.message });
    };
    const event = await findEventBySlug(ctx.params.slug!);
    const framedBy = embeddable[page] ? splitList(event.allowed_origins) : [];
    // The redirects below keep the page's framing, so a framed page may send its visitor on.
    setPagePolicy(ctx, policy, framedBy);
    const session = await sessionFromToken(deps.tokens, tokenFromRequest(ctx, event.id));
    const user = session?.user;
    if (!user || user.banned || !belongsToEvent(user, event)) {
      return ctx.redirect(withLang(page === 'watch' ? `/e/${event.slug}` : `/e/${event.slug}/login`, lang));
    }
    if (!admits[page](user.role)) return ctx.redirect(withLang(redirectFor(user.role, event.slug), lang));
    // A closed event still gets its page: the widgets show "Transmisión finalizada".
    sendShell(ctx, policy, framedBy, Shell, { page, event, lang, switchHref });
  };
  router.get('/e/:slug/watch', hostedPage('watch'));
  router.get('/e/:slug/mod', hostedPage('mod'));
  router.get('/e/:slug/speaker', hostedPage('speaker'));

  return router;
}
