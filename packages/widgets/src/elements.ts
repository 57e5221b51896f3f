import { defineMissing, widgetElement, type WidgetElementClass } from './element.js';
import { ChatAttributes, PalcoChat, chatStyles } from './widgets/chat.js';
import { ModQueueAttributes, PalcoModQueue, modQueueStyles } from './widgets/mod-queue.js';
import { PalcoPlayer, PlayerAttributes, playerStyles } from './widgets/player.js';
import { PollPanelWidget, PollsAttributes, PollsWidget } from './widgets/lazy-poll-view.js';
import { PalcoQa, QaAttributes, qaStyles } from './widgets/qa.js';
import { PalcoRegister, RegisterAttributes, registerStyles } from './widgets/register.js';
import { PalcoSpeakerBoard, SpeakerBoardAttributes, speakerBoardStyles } from './widgets/speaker-board.js';

/** Every element, by tag name. */
export const elements = {
  'palco-register': widgetElement({ attributes: RegisterAttributes, styles: registerStyles, component: PalcoRegister }),
  'palco-player': widgetElement({ attributes: PlayerAttributes, styles: playerStyles, component: PalcoPlayer }),
  'palco-chat': widgetElement({ attributes: ChatAttributes, styles: chatStyles, component: PalcoChat }),
  'palco-qa': widgetElement({ attributes: QaAttributes, styles: qaStyles, component: PalcoQa }),
  'palco-mod-queue': widgetElement({ attributes: ModQueueAttributes, styles: modQueueStyles, component: PalcoModQueue }),
  'palco-polls': widgetElement({ attributes: PollsAttributes, styles: '', component: PollsWidget }),
  'palco-poll-panel': widgetElement({ attributes: PollsAttributes, styles: '', component: PollPanelWidget }),
  'palco-speaker-board': widgetElement({
    attributes: SpeakerBoardAttributes,
    styles: speakerBoardStyles,
    component: PalcoSpeakerBoard,
  }),
} satisfies Record<string, WidgetElementClass>;

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
