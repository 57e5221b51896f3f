import { describe, expect, it } from 'vitest';
import { videoSource } from '../../packages/widgets/src/video-source.js';

const nocookie = 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0&playsinline=1';

describe('videoSource', () => {
  const id = 'dQw4w9WgXcQ';
  const channel = 'UCSJ4gkVC6NrvII8umztf0Ow';
  const video = (start?: number) => `${nocookie}${start ? `&start=${start}` : ''}`;
  const channelLive = `https://www.youtube-nocookie.com/embed/live_stream?channel=${channel}&rel=0&playsinline=1`;

  /** Every common shape of a YouTube link, and what the player embeds for it. */
  it.each([
    [`https://www.youtube.com/watch?v=${id}`, video()],
    [`https://youtube.com/watch?v=${id}&t=42`, video(42)],
    [`https://www.youtube.com/watch?v=${id}&t=90s`, video(90)],
    [`https://www.youtube.com/watch?v=${id}&t=1h2m3s`, video(3723)],
    [`https://www.youtube.com/watch?v=${id}&t=2m`, video(120)],
    [`https://www.youtube.com/watch?v=${id}#t=1m30s`, video(90)],
    [`https://www.youtube.com/watch?v=${id}&list=PL123&index=2`, video()],
    [`https://m.youtube.com/watch?v=${id}`, video()],
    [`https://music.youtube.com/watch?v=${id}&si=x`, video()],
    [`https://www.youtube.com/live/${id}?si=abc`, video()],
    [`https://www.youtube.com/live/${id}?t=600`, video(600)],
    [`https://www.youtube.com/shorts/${id}`, video()],
    [`https://youtube.com/v/${id}`, video()],
    [`https://youtu.be/${id}`, video()],
    [`https://youtu.be/${id}?t=90`, video(90)],
    [`https://youtu.be/${id}?si=abc&t=1h2m3s`, video(3723)],
    [`https://www.youtube.com/embed/${id}`, video()],
    [`https://www.youtube.com/embed/${id}?start=30`, video(30)],
    [`https://www.youtube-nocookie.com/embed/${id}`, video()],
    [`https://youtube-nocookie.com/embed/${id}?start=75&autoplay=1`, video(75)],
    [`HTTPS://WWW.YOUTUBE.COM/watch?v=${id}`, video()],
    [`https://www.youtube.com/embed/live_stream?channel=${channel}`, channelLive],
    [`https://youtube.com/embed/live_stream?channel=${channel}&autoplay=1`, channelLive],
    [`https://www.youtube.com/channel/${channel}/live`, channelLive],
    [`https://m.youtube.com/channel/${channel}/live`, channelLive],
    [`https://www.youtube.com/channel/${channel}`, channelLive],
  ])('plays YouTube %s', (url, embedUrl) => {
    expect(videoSource(url)).toEqual({ kind: 'youtube', embedUrl });
  });

  it.each([
    'https://www.youtube.com/@produccionesfast/live',
    'https://www.youtube.com/@produccionesfast',
    'https://m.youtube.com/@produccionesfast/live',
    'https://www.youtube.com/c/ProduccionesFast/live',
    'https://www.youtube.com/user/produccionesfast',
  ])('never treats the channel link %s as a video file', (url) => {
    expect(videoSource(url)).toEqual({ kind: 'none' });
  });

  it.each([
    `https://www.youtube.com/watch?v=<script>`,
    'https://www.youtube.com/embed/live_stream?channel=notachannel',
    `https://www.youtube.com/channel/${channel}/videos`,
    'https://www.youtube.com/feed/subscriptions',
  ])('refuses the YouTube URL %s, which leads to no video', (url) => {
    expect(videoSource(url)).toEqual({ kind: 'none' });
  });

  it.each([
    ['https://vimeo.com/76979871', 'https://player.vimeo.com/video/76979871?dnt=1'],
    ['https://player.vimeo.com/video/76979871', 'https://player.vimeo.com/video/76979871?dnt=1'],
    ['https://vimeo.com/76979871/abc123', 'https://player.vimeo.com/video/76979871?dnt=1&h=abc123'],
    ['https://vimeo.com/event/12345', 'https://vimeo.com/event/12345/embed'],
  ])('plays Vimeo %s', (url, embedUrl) => {
    expect(videoSource(url)).toEqual({ kind: 'vimeo', embedUrl });
  });

  it('plays HLS playlists and plain video files', () => {
    expect(videoSource('https://cdn.example.com/live/stream.m3u8?token=1')).toEqual({
      kind: 'hls',
      url: 'https://cdn.example.com/live/stream.m3u8?token=1',
    });
    expect(videoSource('https://cdn.example.com/replay.mp4')).toEqual({ kind: 'file', url: 'https://cdn.example.com/replay.mp4' });
  });

  it('plays an HLS stream whose URL does not end in .m3u8 when the event says it is HLS', () => {
    const signed = 'https://cdn.example.com/live/playlist?token=abc';
    expect(videoSource(signed)).toEqual({ kind: 'file', url: signed });
    expect(videoSource(signed, undefined, 'hls')).toEqual({ kind: 'hls', url: signed });
    expect(videoSource('https://cdn.example.com/clip', undefined, 'file')).toEqual({ kind: 'file', url: 'https://cdn.example.com/clip' });
    expect(videoSource('javascript:alert(1)', undefined, 'hls')).toEqual({ kind: 'none' });
  });

  it('shows nothing for an empty URL or one that is not http(s)', () => {
    expect(videoSource(null)).toEqual({ kind: 'none' });
    expect(videoSource('  ')).toEqual({ kind: 'none' });
    expect(videoSource('javascript:alert(1)')).toEqual({ kind: 'none' });
    expect(videoSource('data:text/html,<script>alert(1)</script>')).toEqual({ kind: 'none' });
  });
});
