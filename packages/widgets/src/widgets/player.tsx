import { useEffect, useRef, useState } from 'preact/hooks';
import type { PublicEvent } from '@palco/sdk';
import { defaultApi } from '../default-api.js';
import { CommonAttributes, type WidgetProps } from '../element.js';
import { loadHls, type HlsPlayer } from '../hls-loader.js';
import { Notice, useSessionState } from '../shared.js';
import type { WidgetTexts } from '../texts.js';
import { videoSource } from '../video-source.js';
import { ReactionsFloat, reactionsFloatStyles } from './reactions-float.js';

export const PlayerAttributes = { ...CommonAttributes } as const;

const hlsMimeType = 'application/vnd.apple.mpegurl';

function HlsVideo({ url, api, title, texts }: { url: string; api: string; title: string; texts: WidgetTexts }) {
  const video = useRef<HTMLVideoElement>(null);
  const [unsupported, setUnsupported] = useState(false);
  useEffect(() => {
    const media = video.current;
    if (!media) return;
    if (media.canPlayType(hlsMimeType)) {
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
          if (data.fatal) setUnsupported(true);
        });
        player.loadSource(url);
        player.attachMedia(media);
      })
      .catch(() => current && setUnsupported(true));
    return () => {
      current = false;
      player?.destroy();
    };
  }, [url, api]);
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
  return <video ref={video} part="video" controls playsInline autoplay muted aria-label={title} />;
}

/** The event's stream: YouTube, Vimeo, HLS or a video file; a placeholder before it starts. */
export function PalcoPlayer({ session, texts, attributes }: WidgetProps<typeof PlayerAttributes>) {
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
        {state.status === 'failed' ? <Notice tone="error">{texts.streamUnsupported}</Notice> : <Notice>{texts.loading}</Notice>}
      </div>
    );
  }
  return (
    <div class="with-reactions">
      <PlayerStage event={event} api={attributes.api || defaultApi} texts={texts} />
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
          {event.logo_url && <img src={event.logo_url} alt="" part="logo" />}
          <strong>{texts.streamSoon}</strong>
          <span>{texts.streamSoonBody}</span>
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
      {source.kind === 'hls' && <HlsVideo url={source.url} api={api} title={title} texts={texts} />}
      {source.kind === 'file' && <video part="video" src={source.url} controls playsInline aria-label={title} />}
    </div>
  );
}

export const playerStyles = `
${reactionsFloatStyles}
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
.placeholder {
  display: flex; flex-direction: column; align-items: center; gap: 6px; padding: 24px; text-align: center;
  color: var(--_player-fg);
}
.placeholder strong { font-size: clamp(1.1em, 3vw, 1.6em); }
.placeholder span { color: var(--_player-muted); }
.placeholder img { max-width: 160px; max-height: 64px; object-fit: contain; margin-bottom: 8px; }
`;
