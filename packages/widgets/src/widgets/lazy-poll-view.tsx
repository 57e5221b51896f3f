import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorCode, errorText } from '@palco/sdk';
import { defaultApi } from '../default-api.js';
import { CommonAttributes, type AttributeMap, type AttributeValues, type WidgetProps } from '../element.js';
import type { PollView } from '../poll-views.js';
import { loadPollViews, type PollViewsModule } from '../poll-views-loader.js';
import { Notice } from '../shared.js';

export const PollsAttributes = { ...CommonAttributes } as const;

export const SpeakerBoardAttributes = {
  ...CommonAttributes,
  /** "votes" (default) or "time". */
  sort: 'sort',
  /** "present" for the projector (huge type, no controls); anything else is the speaker's control view. */
  mode: 'mode',
  /** The address attendees join at, shown with its QR code; by default the hosted `{api}/e/{event}`. */
  joinUrl: 'join-url',
} as const;


/**
 * A view from the lazily loaded module (poll-views.ts: the polls, and the whole speaker board), rendered into an element this
 * tree leaves empty; until it arrives a widget says it is loading, the speaker board nothing.
 */
export function LazyPollView(props: WidgetProps<AttributeMap> & { view: PollView }) {
  const { view, ...widget } = props;
  const container = useRef<HTMLDivElement>(null);
  const [module, setModule] = useState<PollViewsModule | null>(null);
  const [failed, setFailed] = useState(false);
  const api = (widget.attributes as AttributeValues<typeof CommonAttributes>).api || defaultApi;
  useEffect(() => {
    let live = true;
    loadPollViews(api).then(
      (loaded) => live && setModule(() => loaded),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [api]);
  useEffect(() => {
    if (module && container.current) module.renderPollView(container.current, view, widget);
  });
  useEffect(() => {
    const target = container.current;
    return () => {
      if (module && target) module.renderPollView(target, view, null);
    };
  }, [module]);
  if (failed) return view === 'board' ? null : <Notice tone="error">{errorText(ErrorCode.networkError, widget.lang)}</Notice>;
  return (
    <>
      {!module && view !== 'board' && <Notice>{widget.texts.loading}</Notice>}
      <div ref={container} class="poll-view" />
    </>
  );
}

/** `<palco-polls>`: open polls to answer, results once revealed, the reactions bar. */
export const PollsWidget = (props: WidgetProps<typeof PollsAttributes>) => <LazyPollView {...props} view="polls" />;
/** `<palco-poll-panel>`: moderators build, open, close and reveal polls beside the mod queue. */
export const PollPanelWidget = (props: WidgetProps<typeof PollsAttributes>) => <LazyPollView {...props} view="panel" />;
/** `<palco-speaker-board>`: the speaker's questions and polls, or the projector's view; loaded where it shows. */
export const SpeakerBoardWidget = (props: WidgetProps<typeof SpeakerBoardAttributes>) => <LazyPollView {...props} view="speaker" />;
