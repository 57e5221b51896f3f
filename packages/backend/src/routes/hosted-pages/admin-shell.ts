import type { Context } from 'koa';
import { h } from 'preact';
import type { Lang } from '@palco/sdk/protocol';
import { otherLang, withLang } from '../../pages/render.js';
import { languageSwitch, sendShell, shellBaseCss, shellPolicy } from '../../pages/shell.js';

/** Where the admin app lives; its views are paths below it (see packages/widgets/src/admin/routes.ts). */
export const adminBasePath = '/admin/events';

const titles: Record<Lang, string> = { es: 'Administración de eventos', en: 'Event administration' };

const adminCss = `${shellBaseCss}
.topbar .brand { color: #1d2330; font-size: 1.1rem; font-weight: 800; }
main { max-width: 1200px; }
`;
const policy = shellPolicy(adminCss);

function AdminShell({ lang, switchHref }: { lang: Lang; switchHref: string }) {
  return h('html', { lang }, [
    h('head', null, [
      h('meta', { charset: 'utf-8' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('title', null, `Palco · ${titles[lang]}`),
      h('style', { dangerouslySetInnerHTML: { __html: adminCss } }),
      h('script', { src: '/admin.js', defer: true }),
    ]),
    h('body', null, [
      h('header', { class: 'topbar' }, [
        h('a', { class: 'brand', href: withLang(adminBasePath, lang) }, 'Palco'),
        h('h1', null, titles[lang]),
        languageSwitch(lang, switchHref),
      ]),
      h('main', null, [h('palco-admin', { lang, base: adminBasePath })]),
    ]),
  ]);
}

/**
 * The administrators' one shell, for /admin/events and every view below it, so a deep link
 * (/admin/events/7/staff) opens that view. Who may see what is the API's business: signed out
 * or not an administrator, the app shows its sign-in form.
 */
export function adminShell(ctx: Context) {
  const lang = ctx.state.lang;
  sendShell(ctx, policy, [], AdminShell, { lang, switchHref: withLang(ctx.url, otherLang(lang)) });
}
