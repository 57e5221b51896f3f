import { defineMissing, widgetElement, type WidgetElementClass } from './element.js';
import { PollPanelWidget, PollsAttributes } from './widgets/lazy-poll-view.js';
import { ModQueueAttributes, PalcoModQueue, modQueueStyles } from './widgets/mod-queue.js';

/** The moderators' elements, which moderation.js defines apart from embed.js: the queue and the poll panel. */
export const moderationElements = {
  'palco-mod-queue': widgetElement({ attributes: ModQueueAttributes, styles: modQueueStyles, component: PalcoModQueue }),
  'palco-poll-panel': widgetElement({ attributes: PollsAttributes, styles: '', component: PollPanelWidget }),
} satisfies Record<string, WidgetElementClass>;

/** Defines <palco-mod-queue> and <palco-poll-panel> unless the page already has them. */
export function defineModerationElements(registry: CustomElementRegistry = customElements): void {
  defineMissing(registry, moderationElements);
}
