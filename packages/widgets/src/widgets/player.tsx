import { useEffect, useRef, useState } from 'preact/hooks';
import type { Lang, PublicEvent } from '@palco/sdk';
import { defaultApi } from '../default-api.js';
import { CommonAttributes, type WidgetProps } from '../element.js';
import { loadHls, type HlsPlayer } from '../chunk-loader.js';
import { Notice, useSessionState } from '../shared.js';
import { describeFailure, type WidgetTexts } from '../texts.js';
import { videoSource } from '../video-source.js';
import { journeyTexts } from '../journey-texts.js';
import { ReactionsFloat, reactionsFloatStyles } from './reactions-float.js';
import { WaitingRoom, waitingRoomStyles } from './waiting-room.js';

export const PlayerAttributes = { ...CommonAttributes } as const;

const hlsMimeType = 'application/vnd.apple.mpegurl';

/**
 * Where a video element stands, from its own events: loading until the first frame
 * (`loadeddata`), then playing, stalled while it waits for data (`waiting`, `stalled`), failed
 * on `error` or a fatal hls.js error. A failed stream is tried again after `retryAfterMs`.
 */
type MediaStatus = 'loading' | 'playing' | 'stalled' | 'failed';

/** Long enough not to hammer a stream host that is down, short enough for a stream that starts late. */
const retryAfterMs = 15_000;

function useMediaStatus(media: { current: HTMLVideoElement | null }, attempt: number, retry: () => void) {
  const [status, setStatus] = useState<MediaStatus>('loading');
  useEffect(() => {
    setStatus('loading');
    const element = media.current;
    if (!element) return;
    const playing = () => setStatus('playing');
    const stalled = () => setStatus((current) => (current === 'playing' ? 'stalled' : current));
    const failed = () => setStatus('failed');
    const listeners: Array<[string, () => void]> = [
      ['loadeddata', playing],
      ['playing', playing],
      ['waiting', stalled],
      ['stalled', stalled],
      ['error', failed],
    ];
    for (const [name, listener] of listeners) element.addEventListener(name, listener);
    return () => {
      for (const [name, listener] of listeners) element.removeEventListener(name, listener);
    };
  }, [attempt]);
  useEffect(() => {
    if (status !== 'failed') return;
    const timer = setTimeout(retry, retryAfterMs);
    return () => clearTimeout(timer);
  }, [status]);
  return [status, setStatus] as const;
}

/** The player's words about its stream, said of the recording: a replay that fails has not "not started yet". */
function replayTexts(texts: WidgetTexts, lang: Lang): WidgetTexts {
  const journey = journeyTexts(lang);
  return { ...texts, streamLoading: journey.replayLoading, streamFailed: journey.replayFailed, streamFailedBody: journey.replayFailedBody };
}

/** What covers the video while it is not playing: a spinner line, or the failure with a retry button. */
function MediaOverlay({ status, texts, retry }: { status: MediaStatus; texts: WidgetTexts; retry: () => void }) {
  if (status === 'playing') return null;
  if (status === 'failed') {
    return (
      <div class="overlay failed" part="overlay">
        <Notice tone="error" title={texts.streamFailed}>
          <p>{texts.streamFailedBody}</p>
          <button type="button" onClick={retry}>
            {texts.retry}
          </button>
        </Notice>
      </div>
    );
  }
  return (
    <div class={`overlay ${status}`} part="overlay" role="status">
      <span class="spinner" aria-hidden="true" />
      {status === 'loading' ? texts.streamLoading : texts.streamStalled}
    </div>
  );
}

/** An HLS stream (native where the browser plays it, else hls.js) or a video file, with its loading and failure states. */
function MediaVideo({ url, hls, api, title, texts }: { url: string; hls: boolean; api: string; title: string; texts: WidgetTexts }) {
  const video = useRef<HTMLVideoElement>(null);
  const [attempt, setAttempt] = useState(0);
  const retry = () => setAttempt((count) => count + 1);
  const [status, setStatus] = useMediaStatus(video, attempt, retry);
  const [unsupported, setUnsupported] = useState(false);
  useEffect(() => {
    const media = video.current;
    if (!media) return;
    if (!hls || media.canPlayType(hlsMimeType)) {
      // Setting src again (a retry) runs the media element's load algorithm anew.
      media.src = url;
      return;
    }
    let player: HlsPlayer | null = null;
    let current = true;
    loadHls(api)
      .then((Hls) => {
        if (!current) return;
        if (!Hls.isSupported()) return setUnsupported(true);
        player = new Hls({ lowLatencyMode: true });
        player.on(Hls.Events.ERROR, (_event, data) => {
          // hls.js recovers from the others itself; a fatal one (manifest unreachable, stream gone) ends this attempt.
          if (data.fatal && current) setStatus('failed');
        });
        player.loadSource(url);
        player.attachMedia(media);
      })
      .catch(() => current && setStatus('failed'));
    return () => {
      current = false;
      player?.destroy();
    };
  }, [url, api, attempt]);
  if (unsupported) {
    return (
      <Notice tone="error">
        <p>{texts.streamUnsupported}</p>
        <a href={url} target="_blank" rel="noopener noreferrer">
          {texts.openStream}
        </a>
      </Notice>
    );
  }
  return (
    <>
      <video ref={video} part="video" controls playsInline autoplay={hls} muted={hls} aria-label={title} />
      <MediaOverlay status={status} texts={texts} retry={retry} />
    </>
  );
}

/** The event's logo, or nothing when it fails to load (a broken-image icon helps nobody); keyed by its URL. */
function Logo({ url }: { url: string }) {
  const [broken, setBroken] = useState(false);
  if (broken) return null;
  return <img src={url} alt="" part="logo" onError={() => setBroken(true)} />;
}

/** The event's stream: YouTube, Vimeo, HLS or a video file; a placeholder before it starts. */
export function PalcoPlayer({ session, texts, lang, attributes, host }: WidgetProps<typeof PlayerAttributes>) {
  const state = useSessionState(session);
  const event = state.event;
  if (state.status === 'closed') {
    return (
      <div class="stage" part="stage">
        <div class="placeholder" part="placeholder" role="status">
          <strong>{texts.closedTitle}</strong>
          <span>{texts.closedBody}</span>
        </div>
      </div>
    );
  }
  if (!event) {
    return (
      <div class="stage" part="stage">
        {state.status === 'failed' ? (
          <Notice tone="error">{describeFailure({ code: state.failure }, lang, !session.speaksFor(host))}</Notice>
        ) : (
          <Notice>{texts.loading}</Notice>
        )}
      </div>
    );
  }
  const api = attributes.api || defaultApi;
  if (event.state === 'scheduled') {
    return (
      <div class="stage waiting-stage" part="stage">
        <WaitingRoom event={event} api={api} lang={lang} />
      </div>
    );
  }
  if (event.state === 'on_demand') {
    // The replay plays the recording, whatever host it is on; reactions stay for the live hour.
    return (
      <div class="with-reactions">
        <PlayerStage event={{ ...event, video_url: event.replay_url, video_kind: 'auto' }} api={api} texts={replayTexts(texts, lang)} />
        <p class="replay-line" part="replay-line">
          <span class="badge accent">{journeyTexts(lang).replayBadge}</span> {journeyTexts(lang).replayLine}
        </p>
      </div>
    );
  }
  return (
    <div class="with-reactions">
      <PlayerStage event={event} api={api} texts={texts} />
      <ReactionsFloat session={session} />
    </div>
  );
}

/**
 * What attendees see for an event's video_url: the stream, or the placeholder before it
 * starts. The admin's form shows the same stage as a preview.
 */
export function PlayerStage(props: {
  event: Pick<PublicEvent, 'title' | 'video_url' | 'video_kind' | 'logo_url'>;
  api: string;
  texts: WidgetTexts;
}) {
  const { event, api, texts } = props;
  const source = videoSource(event.video_url, api, event.video_kind);
  const title = texts.playerTitle(event.title);
  return (
    <div class="stage" part="stage">
      {source.kind === 'none' && (
        <div class="placeholder" part="placeholder" role="status">
          {event.logo_url && <Logo key={event.logo_url} url={event.logo_url} />}
          <strong>{texts.streamSoon}</strong>
          <span>{texts.streamSoonBody}</span>
        </div>
      )}
      {(source.kind === 'youtube' || source.kind === 'vimeo') && (
        // The hosts' players report nothing across origins, so no loading or error state can be
        // told: until the frame paints (or if it never does), a neutral card with the event's name.
        <div class="placeholder neutral" part="placeholder" aria-hidden="true">
          {event.logo_url && <Logo key={event.logo_url} url={event.logo_url} />}
          <strong>{event.title}</strong>
        </div>
      )}
      {(source.kind === 'youtube' || source.kind === 'vimeo') && (
        <iframe
          part="video"
          src={source.embedUrl}
          title={title}
          allow="autoplay; fullscreen; picture-in-picture; encrypted-media"
          allowFullScreen
          referrerpolicy="strict-origin-when-cross-origin"
        />
      )}
      {(source.kind === 'hls' || source.kind === 'file') && (
        <MediaVideo key={source.url} url={source.url} hls={source.kind === 'hls'} api={api} title={title} texts={texts} />
      )}
    </div>
  );
}

// A frame is transparent until the host's player paints, so the neutral card shows through meanwhile.
export const playerStyles = `
${reactionsFloatStyles}
${waitingRoomStyles}
.stage.waiting-stage { aspect-ratio: auto; min-height: 240px; }
.replay-line { margin: var(--_space-2) 0 0; font-size: var(--_text-sm); color: var(--_muted); }
.stage {
  /*
   * clip, not hidden: a box with an aspect ratio that is not a scroll container grows to its
   * content (CSS Box Sizing 4, automatic minimum size), so a narrow stage shows the whole placeholder.
   */
  position: relative; width: 100%; aspect-ratio: 16 / 9; overflow: clip;
  background: var(--_player-bg); border-radius: var(--_radius);
  display: grid; place-items: center;
}
.stage > .notice { margin: 16px; }
iframe, video { position: absolute; inset: 0; width: 100%; height: 100%; border: 0; background: #000; }
iframe { background: transparent; }
.placeholder {
  display: flex; flex-direction: column; align-items: center; gap: 6px; padding: 24px; text-align: center;
  color: var(--_player-fg);
}
.placeholder strong { font-size: clamp(1.1em, 3vw, 1.6em); }
.placeholder span { color: var(--_player-muted); }
.placeholder img { max-width: 160px; max-height: 64px; object-fit: contain; margin-bottom: 8px; }
.overlay {
  position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; gap: 10px;
  padding: 16px; text-align: center; color: var(--_player-fg); background: rgb(0 0 0 / 0.55);
}
.overlay.stalled { inset: auto 0 0 0; background: rgb(0 0 0 / 0.7); pointer-events: none; }
.overlay.failed { background: var(--_player-bg); }
.overlay .notice { max-width: 32rem; }
.spinner {
  width: 1.1em; height: 1.1em; border-radius: 50%; border: 2px solid currentColor; border-right-color: transparent;
  animation: palco-spin 0.9s linear infinite;
}
@keyframes palco-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spinner { animation: none; border-right-color: currentColor; opacity: 0.6; } }
`;
