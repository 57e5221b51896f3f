import { audienceElements } from './audience-elements.js';
import { defineMissing, type WidgetElementClass } from './element.js';
import { moderationElements } from './moderation-elements.js';

/** Every element, by tag name: embed.js defines the audience's, moderation.js the moderators'. */
export const elements = { ...audienceElements, ...moderationElements } satisfies Record<string, WidgetElementClass>;

export type PalcoTagName = keyof typeof elements;

/** Defines every element the page does not have yet (see defineMissing). */
export function defineElements(registry: CustomElementRegistry = customElements): void {
  defineMissing(registry, elements);
}

declare global {
  interface HTMLElementTagNameMap {
    'palco-register': HTMLElement & { identity: string | null; event: string | null; api: string | null };
    'palco-player': HTMLElement & { event: string | null; api: string | null };
    'palco-chat': HTMLElement & { event: string | null; api: string | null; readonly: string | null };
    'palco-qa': HTMLElement & { event: string | null; api: string | null };
    'palco-mod-queue': HTMLElement & { event: string | null; api: string | null };
    'palco-polls': HTMLElement & { event: string | null; api: string | null };
    'palco-poll-panel': HTMLElement & { event: string | null; api: string | null };
    'palco-speaker-board': HTMLElement & { event: string | null; api: string | null; sort: string | null };
  }
}
