export type PollViewsModule = typeof import('./poll-views.js');
export type PollViewsLoader = () => Promise<PollViewsModule>;

const loads = new Map<string, Promise<PollViewsModule>>();
let customLoader: PollViewsLoader | null = null;

/** The polls' views (poll-views.ts), loaded once from the backend next to embed.js. */
export function loadPollViews(api: string): Promise<PollViewsModule> {
  if (customLoader) return customLoader();
  const url = new URL('/embed/poll-views.js', api).href;
  let load = loads.get(url);
  if (!load) {
    load = import(/* @vite-ignore */ url) as Promise<PollViewsModule>;
    // A failed load may be retried later (the network came back).
    load.catch(() => loads.delete(url));
    loads.set(url, load);
  }
  return load;
}

/** For apps that bundle the views themselves (`() => import('@palco/widgets/poll-views')`), and for tests. */
export function setPollViewsLoader(loader: PollViewsLoader | null): void {
  customLoader = loader;
}
