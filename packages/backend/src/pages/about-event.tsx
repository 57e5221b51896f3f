import type { Lang, PublicEvent } from '@palco/sdk/protocol';
import { initialsOf } from './site-header.js';
import { textsFor } from './texts.js';

/**
 * Under the player of /watch: which event this is (its description, when the organiser gave
 * one) and how to take part, where the page otherwise had an empty stretch. It names no
 * state: the widgets above turn the event live, or into its replay, without a reload. A broken logo shows the title's initials (pages/styles.ts).
 */
export function AboutEvent({ event, lang }: { event: PublicEvent; lang: Lang }) {
  const texts = textsFor(lang);
  return (
    <section class="about" aria-labelledby="about-title">
      <div class="about-heading">
        {event.logo_url && (
          <img class="event-logo" src={event.logo_url} alt="" width={56} height={56} data-initials={initialsOf(event.title)} />
        )}
        <div>
          <p class="about-kicker">{texts.aboutKicker}</p>
          <h2 id="about-title">{event.title}</h2>
        </div>
      </div>
      {event.description && <p class="about-description">{event.description}</p>}
      <h3>{texts.howToTakePart}</h3>
      <ul class="about-steps">
        {texts.takePartSteps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ul>
    </section>
  );
}
