import { useEffect } from 'preact/hooks';
import type { AdminEvent } from '@palco/sdk';
import { Notice } from '../shared.js';
import { eventPageUrl, type AdminContext } from './context.js';
import { ViewLink } from './link.js';
import { useLoaded } from './parts.js';

/** How often the list asks again for the live audience. */
const refreshMs = 15_000;

export function StateBadge({ event, context }: { event: AdminEvent; context: AdminContext }) {
  return <span class={event.is_active ? 'badge open' : 'badge'}>{event.is_active ? context.texts.open : context.texts.closed}</span>;
}

/** Every event: its state and live audience, refreshed while the list is on screen. */
export function EventsList({ context }: { context: AdminContext }) {
  const { texts } = context;
  const events = useLoaded(() => context.client.listEvents(), 'events', context.lang);
  useEffect(() => {
    const timer = setInterval(events.reload, refreshMs);
    return () => clearInterval(timer);
  }, []);

  return (
    <section class="panel" aria-labelledby="events-title">
      <div class="panel-header">
        <h2 id="events-title">{texts.events}</h2>
        <ViewLink context={context} to={{ name: 'new' }} class="button">
          {texts.newEvent}
        </ViewLink>
      </div>
      {events.error && <Notice tone="error">{events.error}</Notice>}
      {!events.value && !events.error && <Notice>{texts.loading}</Notice>}
      {events.value?.length === 0 && <Notice>{texts.noEvents}</Notice>}
      {events.value && events.value.length > 0 && (
        <ul class="list events">
          {events.value.map((event) => (
            <li key={event.id} class="card event-card">
              <div class="card-main">
                <ViewLink context={context} to={{ name: 'event', id: event.id, tab: 'settings' }} class="event-title">
                  {event.title}
                </ViewLink>
                <a class="meta url" href={eventPageUrl(context, event.slug)} target="_blank" rel="noopener">
                  /e/{event.slug}
                </a>
              </div>
              <div class="card-side">
                <StateBadge event={event} context={context} />
                <span class="meta viewers">{texts.viewersNow(event.viewers_now ?? 0)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
