/**
 * How an event's `video_url` is played. `auto` decides from the URL (YouTube and Vimeo
 * links, `.m3u8` playlists, anything else as a video file); `hls` and `file` say it
 * outright, for a stream whose address does not end in `.m3u8` (a CDN's signed URL, a
 * `/playlist` endpoint).
 */
export const VideoKind = {
  auto: 'auto',
  hls: 'hls',
  file: 'file',
} as const;
export type VideoKind = (typeof VideoKind)[keyof typeof VideoKind];
export const videoKinds = Object.values(VideoKind) as readonly VideoKind[];

/**
 * What a YouTube link points at: one video (with where to start, in seconds), a channel's
 * current live stream, a channel named by its handle or custom name (which only YouTube
 * can turn into a channel id), or nothing playable.
 */
export type YouTubeLink =
  | { kind: 'video'; id: string; startSeconds: number | null }
  | { kind: 'channel_live'; channelId: string }
  | { kind: 'handle'; name: string }
  | { kind: 'unplayable' };

const youtubeHosts = new Set([
  'youtube.com',
  'www.youtube.com',
  'm.youtube.com',
  'music.youtube.com',
  'youtube-nocookie.com',
  'www.youtube-nocookie.com',
]);
const shortHosts = new Set(['youtu.be', 'www.youtu.be']);
const videoId = /^[A-Za-z0-9_-]{11}$/;
/** A channel id: "UC" and 22 more characters of the URL-safe base64 alphabet. */
const channelId = /^UC[A-Za-z0-9_-]{22}$/;
/** Path segments before a video id: /embed/ID, /shorts/ID, /live/ID, /v/ID, /e/ID. */
const videoPaths = new Set(['embed', 'shorts', 'live', 'v', 'e']);

/**
 * A start time as YouTube writes it: `90`, `90s`, `1m30s`, `1h2m3s`; null when there is
 * none or it is not one of these.
 */
export function youtubeStartSeconds(value: string | null | undefined): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value) || null;
  const parts = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (!parts) return null;
  const [, hours = '0', minutes = '0', seconds = '0'] = parts;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds) || null;
}

function startOf(url: URL): number | null {
  const fromHash = new URLSearchParams(url.hash.slice(1)).get('t');
  return youtubeStartSeconds(url.searchParams.get('t') ?? url.searchParams.get('start') ?? fromHash);
}

function video(id: string | null | undefined, url: URL): YouTubeLink {
  return id && videoId.test(id) ? { kind: 'video', id, startSeconds: startOf(url) } : { kind: 'unplayable' };
}

/**
 * Reads a YouTube link of any common shape (youtube.com, m., music., youtube-nocookie.com,
 * youtu.be; watch, embed, shorts, live, channel and handle paths); null when the URL is
 * not YouTube's.
 */
export function parseYouTubeLink(url: URL): YouTubeLink | null {
  const host = url.hostname.toLowerCase();
  if (shortHosts.has(host)) return video(url.pathname.split('/')[1], url);
  if (!youtubeHosts.has(host)) return null;
  const [first = '', second, third] = url.pathname.split('/').slice(1);
  if (first === 'watch') return video(url.searchParams.get('v'), url);
  if (first === 'embed' && second === 'live_stream') {
    const channel = url.searchParams.get('channel') ?? '';
    return channelId.test(channel) ? { kind: 'channel_live', channelId: channel } : { kind: 'unplayable' };
  }
  if (videoPaths.has(first)) return video(second, url);
  if (first === 'channel' && second && channelId.test(second) && (third === undefined || third === '' || third === 'live')) {
    return { kind: 'channel_live', channelId: second };
  }
  if (first.startsWith('@') && first.length > 1) return { kind: 'handle', name: first };
  if ((first === 'c' || first === 'user') && second) return { kind: 'handle', name: second };
  return { kind: 'unplayable' };
}

/** The problem with a video URL an administrator typed, as a field-problem key; null when it plays. */
export function videoUrlProblem(value: string): 'youtube_handle' | 'youtube_unplayable' | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const link = parseYouTubeLink(url);
  if (link?.kind === 'handle') return 'youtube_handle';
  if (link?.kind === 'unplayable') return 'youtube_unplayable';
  return null;
}
