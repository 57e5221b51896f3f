/** The admin app's views, each with its own path below the app's base (e.g. /admin/events). */
export const eventTabs = ['settings', 'registration', 'participants', 'staff', 'embed', 'webhooks', 'mail', 'log'] as const;
export type EventTab = (typeof eventTabs)[number];

export type AdminView =
  | { name: 'list' }
  | { name: 'new' }
  | { name: 'audit' }
  | { name: 'event'; id: number; tab: EventTab };

/** Reads the view from a path; anything unknown is the list. */
export function viewFromPath(base: string, pathname: string): AdminView {
  if (!pathname.startsWith(base)) return { name: 'list' };
  const [first, second] = pathname.slice(base.length).split('/').filter(Boolean);
  if (first === 'new') return { name: 'new' };
  if (first === 'audit') return { name: 'audit' };
  const id = Number(first);
  if (!first || !Number.isSafeInteger(id) || id <= 0) return { name: 'list' };
  const tab = eventTabs.find((candidate) => candidate === second) ?? 'settings';
  return { name: 'event', id, tab };
}

export function pathOfView(base: string, view: AdminView): string {
  switch (view.name) {
    case 'list':
      return base;
    case 'new':
      return `${base}/new`;
    case 'audit':
      return `${base}/audit`;
    case 'event':
      return view.tab === 'settings' ? `${base}/${view.id}` : `${base}/${view.id}/${view.tab}`;
  }
}
