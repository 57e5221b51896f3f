// The polls' views and the speaker board, loaded by embed.js only where a poll widget or the
// speaker board shows: the moderators' panel, the speaker board with its poll display and the
// word-cloud layout would otherwise cost every page that embeds a chat. It carries its own
// Preact and renders into a container the embed.js widget leaves empty for it.
import { h, render, type ComponentType } from 'preact';
import type { AttributeMap, WidgetProps } from './element.js';
import { PollBoard, pollBoardStyles } from './widgets/poll-board.js';
import { PalcoPollPanel, pollPanelStyles } from './widgets/poll-panel.js';
import { PalcoPolls, pollsStyles } from './widgets/polls.js';
import { PalcoSpeakerBoard, speakerBoardStyles } from './widgets/speaker-board.js';

export type PollView = 'polls' | 'panel' | 'board' | 'speaker';

const views: Record<PollView, [ComponentType<WidgetProps>, string]> = {
  polls: [PalcoPolls, pollsStyles],
  panel: [PalcoPollPanel, pollPanelStyles],
  board: [PollBoard, pollBoardStyles],
  speaker: [PalcoSpeakerBoard as ComponentType<WidgetProps>, speakerBoardStyles],
};

const sheets = new Map<string, CSSStyleSheet>();

/** Adds a view's style sheet to the shadow root beside the widget's own, once. */
function addStyles(root: Node, css: string) {
  if (!(root instanceof ShadowRoot)) return;
  if (typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    let sheet = sheets.get(css);
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      sheets.set(css, sheet);
    }
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  if (root.querySelector('style[data-palco-polls]')) return;
  const style = document.createElement('style');
  style.dataset.palcoPolls = '';
  style.textContent = css;
  root.append(style);
}

/** Renders `view` into `container` with these props; again with new props; with null, unmounts it. */
export function renderPollView(container: HTMLElement, view: PollView, props: WidgetProps<AttributeMap> | null): void {
  if (!props) return render(null, container);
  const [component, css] = views[view];
  addStyles(container.getRootNode(), css);
  render(h(component, props as WidgetProps), container);
}
