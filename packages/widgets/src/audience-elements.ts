import { defineMissing, widgetElement, type WidgetElementClass } from './element.js';
import { ChatAttributes, PalcoChat, chatStyles } from './widgets/chat.js';
import { PollsAttributes, PollsWidget, SpeakerBoardAttributes, SpeakerBoardWidget } from './widgets/lazy-poll-view.js';
import { PalcoPlayer, PlayerAttributes, playerStyles } from './widgets/player.js';
import { PalcoQa, QaAttributes, qaStyles } from './widgets/qa.js';
import { PalcoRegister, RegisterAttributes, registerStyles } from './widgets/register.js';

/** The elements embed.js defines: what an event's audience and speaker use, by tag name. */
export const audienceElements = {
  'palco-register': widgetElement({ attributes: RegisterAttributes, styles: registerStyles, component: PalcoRegister }),
  'palco-player': widgetElement({ attributes: PlayerAttributes, styles: playerStyles, component: PalcoPlayer }),
  'palco-chat': widgetElement({ attributes: ChatAttributes, styles: chatStyles, component: PalcoChat }),
  'palco-qa': widgetElement({ attributes: QaAttributes, styles: qaStyles, component: PalcoQa }),
  'palco-polls': widgetElement({ attributes: PollsAttributes, styles: '', component: PollsWidget }),
  // Only speakers use it: the board comes with the polls' views (poll-views.js), loaded where it shows.
  'palco-speaker-board': widgetElement({ attributes: SpeakerBoardAttributes, styles: '', component: SpeakerBoardWidget }),
} satisfies Record<string, WidgetElementClass>;

/** Defines the audience's elements the page does not have yet (see defineMissing). */
export function defineAudienceElements(registry: CustomElementRegistry = customElements): void {
  defineMissing(registry, audienceElements);
}
