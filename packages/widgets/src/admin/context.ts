import type { Lang, PalcoAdminClient } from '@palco/sdk';
import type { AdminView } from './routes.js';
import type { AdminTexts } from './texts.js';

/** What every admin view gets from the app. */
export interface AdminContext {
  client: PalcoAdminClient;
  lang: Lang;
  texts: AdminTexts;
  /** The backend's URL without a trailing slash: public pages and embed.js live under it. */
  api: string;
  navigate(view: AdminView): void;
  /** The address of a view, for real links (open in a new tab, copy the link). */
  href(view: AdminView): string;
}

/** A page of the event as attendees and staff reach it, in the admin's language. */
export function eventPageUrl(context: AdminContext, slug: string, page = ''): string {
  return `${context.api}/e/${slug}${page ? `/${page}` : ''}?lang=${context.lang}`;
}
