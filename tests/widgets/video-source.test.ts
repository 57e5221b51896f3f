import { describe, expect, it } from 'vitest';
import { videoSource } from '../../packages/widgets/src/video-source.js';

const nocookie = 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0&playsinline=1';

describe('videoSource', () => {
  it.each([
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    'https://youtube.com/watch?v=dQw4w9WgXcQ&t=42',
    'https://m.youtube.com/watch?v=dQw4w9WgXcQ',
    'https://www.youtube.com/live/dQw4w9WgXcQ?si=abc',
    'https://youtu.be/dQw4w9WgXcQ',
    'https://www.youtube.com/embed/dQw4w9WgXcQ',
    'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
  ])('plays YouTube %s through the no-cookie embed', (url) => {
    expect(videoSource(url)).toEqual({ kind: 'youtube', embedUrl: nocookie });
  });

  it('refuses a YouTube URL without a valid video id', () => {
    expect(videoSource('https://www.youtube.com/watch?v=<script>')).toEqual({ kind: 'none' });
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

  it('shows nothing for an empty URL or one that is not http(s)', () => {
    expect(videoSource(null)).toEqual({ kind: 'none' });
    expect(videoSource('  ')).toEqual({ kind: 'none' });
    expect(videoSource('javascript:alert(1)')).toEqual({ kind: 'none' });
    expect(videoSource('data:text/html,<script>alert(1)</script>')).toEqual({ kind: 'none' });
  });
});
