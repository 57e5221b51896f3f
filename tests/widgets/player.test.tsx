// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://producer.example/evento"}
import { afterEach, describe, expect, it } from 'vitest';
import { setHlsLoader, type HlsConstructor } from '../../packages/widgets/src/index.js';
import { buttonNamed, FakeClient, listen, mount, settle, text, unmountAll } from './fake-client.js';

afterEach(() => {
  unmountAll();
  setHlsLoader(null);
});

async function player(videoUrl: string | null, client = new FakeClient()) {
  client.event = { ...client.event, video_url: videoUrl };
  return mount('<palco-player event="lanzamiento" api="https://live.example.com"></palco-player>', client);
}

describe('<palco-player>', () => {
  it('shows a placeholder before the stream starts, even to visitors not signed in', async () => {
    const { shadow } = await player(null);
    expect(text(shadow)).toContain('La transmisión comenzará pronto');
    expect(shadow.querySelector('iframe, video')).toBeNull();
  });

  it('embeds YouTube without cookies, with a title for screen readers', async () => {
    const { shadow } = await player('https://youtu.be/dQw4w9WgXcQ');
    const frame = shadow.querySelector('iframe')!;
    expect(frame.getAttribute('src')).toBe('https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0&playsinline=1');
    expect(frame.getAttribute('title')).toBe('Transmisión: Lanzamiento 2050');
    // YouTube cannot say whether it loads: behind the frame, a neutral card rather than a spinner forever.
    expect(text(shadow.querySelector('.placeholder.neutral')!)).toBe('Lanzamiento 2050');
    expect(text(shadow)).not.toContain('Cargando la transmisión');
  });

  it('plays an MP4 file in a video element', async () => {
    const { shadow } = await player('https://cdn.example.com/replay.mp4');
    expect(shadow.querySelector('video')!.getAttribute('src')).toBe('https://cdn.example.com/replay.mp4');
  });

  it('loads hls.js only for an HLS stream the browser cannot play natively', async () => {
    const attached: string[] = [];
    let loads = 0;
    class FakeHls {
      static isSupported = () => true;
      static Events = { ERROR: 'hlsError' };
      loadSource(url: string) {
        attached.push(url);
      }
      attachMedia() {}
      on() {}
      destroy() {}
    }
    setHlsLoader(async () => {
      loads += 1;
      return FakeHls as unknown as HlsConstructor;
    });
    await player('https://cdn.example.com/live.mp4');
    expect(loads).toBe(0);
    unmountAll();
    const { shadow } = await player('https://cdn.example.com/live/index.m3u8');
    await settle();
    expect(loads).toBe(1);
    expect(attached).toEqual(['https://cdn.example.com/live/index.m3u8']);
    expect(shadow.querySelector('video')).not.toBeNull();
  });

  it('says the broadcast is loading until its first frame, then gets out of the way', async () => {
    const { shadow } = await player('https://cdn.example.com/replay.mp4');
    expect(text(shadow)).toContain('Cargando la transmisión…');
    shadow.querySelector('video')!.dispatchEvent(new Event('loadeddata'));
    await settle();
    expect(text(shadow)).not.toContain('Cargando la transmisión…');
    shadow.querySelector('video')!.dispatchEvent(new Event('waiting'));
    await settle();
    expect(text(shadow)).toContain('La transmisión se detuvo un momento. Esperando datos…');
  });

  it('says an unreachable stream could not be loaded, instead of a grey box at 0:00, and retries on request', async () => {
    const { shadow } = await player('https://cdn.example.com/missing.mp4');
    const video = shadow.querySelector('video')!;
    video.dispatchEvent(new Event('error'));
    await settle();
    expect(shadow.querySelector('[role="alert"]')!.textContent).toContain('No pudimos cargar la transmisión.');
    buttonNamed(shadow, 'Reintentar').click();
    await settle();
    expect(text(shadow)).toContain('Cargando la transmisión…');
    expect(text(shadow)).not.toContain('No pudimos cargar');
    expect(shadow.querySelector('video')!.getAttribute('src')).toBe('https://cdn.example.com/missing.mp4');
  });

  it('says so when hls.js gives up on a stream', async () => {
    let fail: (() => void) | null = null;
    class FailingHls {
      static isSupported = () => true;
      static Events = { ERROR: 'hlsError' };
      loadSource() {}
      attachMedia() {}
      on(_name: string, listener: (event: string, data: { fatal?: boolean }) => void) {
        fail = () => listener('hlsError', { fatal: true });
      }
      destroy() {}
    }
    setHlsLoader(async () => FailingHls as unknown as HlsConstructor);
    const { shadow } = await player('https://cdn.example.com/live/index.m3u8');
    await settle();
    expect(text(shadow)).toContain('Cargando la transmisión…');
    fail!();
    await settle();
    expect(text(shadow)).toContain('No pudimos cargar la transmisión.');
  });

  it('drops a logo that fails to load from the placeholder instead of showing a broken image', async () => {
    const client = new FakeClient();
    client.event = { ...client.event, logo_url: 'https://cdn.example.com/missing-logo.png' };
    const { shadow } = await player(null, client);
    const logo = shadow.querySelector('img')!;
    expect(logo).not.toBeNull();
    logo.dispatchEvent(new Event('error'));
    await settle();
    expect(shadow.querySelector('img')).toBeNull();
    expect(text(shadow)).toContain('La transmisión comenzará pronto');
  });

  it('offers a link when the browser cannot play HLS at all', async () => {
    setHlsLoader(async () => ({ isSupported: () => false }) as unknown as HlsConstructor);
    const { shadow } = await player('https://cdn.example.com/live/index.m3u8');
    await settle();
    expect(text(shadow)).toContain('Tu navegador no puede reproducir esta transmisión.');
    expect(shadow.querySelector('a')!.getAttribute('href')).toBe('https://cdn.example.com/live/index.m3u8');
  });

  it('shows "Transmisión finalizada" when the event closes', async () => {
    const client = new FakeClient();
    client.token = 'stored';
    const heard = listen(['palco:closed']);
    const { shadow } = await player('https://youtu.be/dQw4w9WgXcQ', client);
    client.welcome();
    client.emit('event_closed', { type: 'event_closed', message: 'Transmisión finalizada' });
    await settle();
    expect(shadow.querySelector('iframe')).toBeNull();
    expect(text(shadow)).toContain('Transmisión finalizada');
    expect(heard).toHaveLength(1);
  });

  it('shows the closed state for an event that already ended', async () => {
    const client = new FakeClient();
    client.event = { ...client.event, is_active: false };
    const { shadow } = await mount('<palco-player event="lanzamiento" api="https://live.example.com" lang="en"></palco-player>', client);
    expect(text(shadow)).toContain('The broadcast has ended');
  });
});

describe('<palco-player> around the live hour', () => {
  it('shows the waiting room while scheduled and the stream in its place on event_state live', async () => {
    const client = new FakeClient();
    client.event = {
      ...client.event,
      video_url: 'https://cdn.example.com/live.mp4',
      state: 'scheduled',
      starts_at: new Date(Date.now() + 3 * 3_600_000).toISOString(),
      time_zone: 'America/Mexico_City',
    };
    const { shadow } = await mount('<palco-player event="lanzamiento" api="https://live.example.com"></palco-player>', client);
    expect(text(shadow)).toContain('La transmisión empieza pronto');
    expect(text(shadow)).toContain('America/Mexico City');
    expect(shadow.querySelector('a[href="https://live.example.com/e/lanzamiento/calendar.ics"]')).not.toBeNull();
    expect(shadow.querySelector('video')).toBeNull();
    client.emit('event_state', { type: 'event_state', state: 'live' } as never);
    await settle();
    expect(text(shadow)).not.toContain('La transmisión empieza pronto');
    expect(shadow.querySelector('video')!.getAttribute('src')).toBe('https://cdn.example.com/live.mp4');
  });

  it('plays the replay with a line saying so once the event is on demand', async () => {
    const client = new FakeClient();
    client.event = { ...client.event, video_url: 'https://cdn.example.com/live.mp4', replay_url: 'https://cdn.example.com/replay.mp4' };
    const { shadow } = await mount('<palco-player event="lanzamiento" api="https://live.example.com"></palco-player>', client);
    client.emit('event_state', { type: 'event_state', state: 'on_demand' } as never);
    await settle();
    expect(shadow.querySelector('video')!.getAttribute('src')).toBe('https://cdn.example.com/replay.mp4');
    expect(text(shadow)).toContain('Estás viendo la repetición');
  });

  it('speaks of the replay while it loads, and says the replay could not be loaded, not that it may not have started, when the recording fails', async () => {
    const client = new FakeClient();
    client.event = { ...client.event, is_active: false, state: 'on_demand', replay_url: 'https://cdn.example.com/missing-replay.mp4' };
    const { shadow } = await mount('<palco-player event="lanzamiento" lang="en" api="https://live.example.com"></palco-player>', client);
    await settle();
    expect(text(shadow)).toContain('Loading the replay…');
    shadow.querySelector('video')!.dispatchEvent(new Event('error'));
    await settle();
    const alert = shadow.querySelector('[role="alert"]')!.textContent!;
    expect(alert).toContain('We could not load the replay.');
    expect(alert).not.toContain('may not have started');
  });
});
