import { defineMissing, widgetElement, type WidgetElementClass } from './element.js';
import { ModQueueAttributes, PalcoModQueue, modQueueStyles } from './widgets/mod-queue.js';

/** The moderators' element, which moderation.js defines apart from embed.js. */
export const moderationElements = {
  'palco-mod-queue': widgetElement({ attributes: ModQueueAttributes, styles: modQueueStyles, component: PalcoModQueue }),
} satisfies Record<string, WidgetElementClass>;

/** Defines <palco-mod-queue> unless the page already has it. */
export function defineModerationElements(registry: CustomElementRegistry = customElements): void {
  defineMissing(registry, moderationElements);
}
