/** What the player shows for an event's video_url. */
export type VideoSource =
  | { kind: 'youtube'; embedUrl: string }
  | { kind: 'vimeo'; embedUrl: string }
  | { kind: 'hls'; url: string }
  | { kind: 'file'; url: string }
  | { kind: 'none' };

const youtubeId = /^[A-Za-z0-9_-]{11}$/;
const youtubeHosts = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com', 'youtube-nocookie.com', 'www.youtube-nocookie.com']);
const vimeoHosts = new Set(['vimeo.com', 'www.vimeo.com', 'player.vimeo.com']);

function youtubeVideoId(url: URL): string | null {
  if (url.hostname === 'youtu.be') return url.pathname.split('/')[1] ?? null;
  if (!youtubeHosts.has(url.hostname)) return null;
  if (url.pathname === '/watch') return url.searchParams.get('v');
  const [, kind, id] = url.pathname.split('/');
  return kind === 'embed' || kind === 'live' || kind === 'shorts' || kind === 'v' ? (id ?? null) : null;
}

function vimeoEmbedUrl(url: URL): string | null {
  if (!vimeoHosts.has(url.hostname)) return null;
  const parts = url.pathname.split('/').filter(Boolean);
  // vimeo.com/event/ID is a live event; vimeo.com/ID and player.vimeo.com/video/ID are videos.
  if (parts[0] === 'event' && /^\d+$/.test(parts[1] ?? '')) return `https://vimeo.com/event/${parts[1]}/embed`;
  const id = parts[0] === 'video' ? parts[1] : parts[0];
  if (!id || !/^\d+$/.test(id)) return null;
  // Unlisted videos carry their hash as the next path segment or as ?h=.
  const hash = url.searchParams.get('h') ?? (parts[0] === 'video' ? null : parts[1]);
  const query = new URLSearchParams({ dnt: '1' });
  if (hash && /^[0-9a-f]+$/i.test(hash)) query.set('h', hash);
  return `https://player.vimeo.com/video/${id}?${query}`;
}

/** Turns a video URL into something playable; only http(s) URLs are ever used. */
export function videoSource(videoUrl: string | null | undefined, base?: string): VideoSource {
  if (!videoUrl?.trim()) return { kind: 'none' };
  let url: URL;
  try {
    url = new URL(videoUrl.trim(), base);
  } catch {
    return { kind: 'none' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { kind: 'none' };
  url.hostname = url.hostname.toLowerCase();

  const youtube = youtubeVideoId(url);
  if (youtube !== null) {
    return youtubeId.test(youtube)
      ? { kind: 'youtube', embedUrl: `https://www.youtube-nocookie.com/embed/${youtube}?rel=0&playsinline=1` }
      : { kind: 'none' };
  }
  const vimeo = vimeoEmbedUrl(url);
  if (vimeo) return { kind: 'vimeo', embedUrl: vimeo };
  if (url.pathname.toLowerCase().endsWith('.m3u8')) return { kind: 'hls', url: url.href };
  return { kind: 'file', url: url.href };
}
