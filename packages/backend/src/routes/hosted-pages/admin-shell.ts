import type { Context } from 'koa';
import { h } from 'preact';
import type { Lang } from '@palco/sdk/protocol';
import { otherLang, withLang } from '../../pages/render.js';
import { sendShell, shellPolicy, ShellDocument } from '../../pages/shell.js';

/** Where the admin app lives; its views are paths below it (see packages/widgets/src/admin/routes.ts). */
export const adminBasePath = '/admin/events';

const titles: Record<Lang, string> = { es: 'Administración de eventos', en: 'Event administration' };

function AdminShell({ lang, switchHref }: { lang: Lang; switchHref: string }) {
  return h(
    ShellDocument,
    { lang, title: `Palco · ${titles[lang]}`, script: '/admin.js', name: 'admin', header: { lang, switchHref, section: titles[lang] } },
    h('palco-admin', { lang, base: adminBasePath }),
  );
}

/**
 * The administrators' one shell, for /admin/events and every view below it, so a deep link
 * (/admin/events/7/staff) opens that view. Who may see what is the API's business: signed out
 * or not an administrator, the app shows its sign-in form.
 */
export function adminShell(ctx: Context) {
  const lang = ctx.state.lang;
  sendShell(ctx, [], AdminShell, { lang, switchHref: withLang(ctx.url, otherLang(lang)) }, adminPolicy);
}

/** The shell's policy, plus frames of our own origin: the Mail tab shows an email's HTML in one (routes/mail.ts). */
const adminPolicy = { ...shellPolicy, 'frame-src': [...(shellPolicy['frame-src'] ?? []), "'self'"] };
