import { parseYouTubeLink, VideoKind, type YouTubeLink } from '@palco/sdk';

/** What the player shows for an event's video_url. */
export type VideoSource =
  | { kind: 'youtube'; embedUrl: string }
  | { kind: 'vimeo'; embedUrl: string }
  | { kind: 'hls'; url: string }
  | { kind: 'file'; url: string }
  | { kind: 'none' };

const vimeoHosts = new Set(['vimeo.com', 'www.vimeo.com', 'player.vimeo.com']);

/** YouTube's privacy-enhanced player: no cookies until the viewer presses play. */
const youtubeEmbed = 'https://www.youtube-nocookie.com/embed/';

function youtubeEmbedUrl(link: YouTubeLink): string | null {
  const player = { rel: '0', playsinline: '1' };
  switch (link.kind) {
    case 'video': {
      const start: Record<string, string> = link.startSeconds ? { start: String(link.startSeconds) } : {};
      return `${youtubeEmbed}${link.id}?${new URLSearchParams({ ...player, ...start })}`;
    }
    case 'channel_live':
      return `${youtubeEmbed}live_stream?${new URLSearchParams({ channel: link.channelId, ...player })}`;
    default:
      // A handle names a channel only YouTube can resolve; the admin form asks for its UC… URL.
      return null;
  }
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

/**
 * Turns a video URL into something playable; only http(s) URLs are ever used. `kind` is the
 * event's video_kind: `hls` and `file` take the URL as that, whatever it looks like.
 */
export function videoSource(videoUrl: string | null | undefined, base?: string, kind: VideoKind = VideoKind.auto): VideoSource {
  if (!videoUrl?.trim()) return { kind: 'none' };
  let url: URL;
  try {
    url = new URL(videoUrl.trim(), base);
  } catch {
    return { kind: 'none' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { kind: 'none' };
  url.hostname = url.hostname.toLowerCase();

  if (kind === VideoKind.hls || kind === VideoKind.file) return { kind, url: url.href };

  const youtube = parseYouTubeLink(url);
  if (youtube) {
    const embedUrl = youtubeEmbedUrl(youtube);
    return embedUrl ? { kind: 'youtube', embedUrl } : { kind: 'none' };
  }
  const vimeo = vimeoEmbedUrl(url);
  if (vimeo) return { kind: 'vimeo', embedUrl: vimeo };
  if (url.pathname.toLowerCase().endsWith('.m3u8')) return { kind: 'hls', url: url.href };
  return { kind: 'file', url: url.href };
}
