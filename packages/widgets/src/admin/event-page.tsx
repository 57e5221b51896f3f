import type { AdminEvent } from '@palco/sdk';
import { Notice } from '../shared.js';
import { eventPageUrl, type AdminContext } from './context.js';
import { EmbedSnippet } from './embed-snippet.js';
import { EventForm } from './event-form.js';
import { StateBadge } from './events-list.js';
import { ViewLink } from './link.js';
import { journeyAdminTexts } from './journey-texts.js';
import { MailSection } from './mail.js';
import { ModerationLog } from './moderation-log.js';
import { ConfirmButton, useLoaded } from './parts.js';
import { ParticipantsSection } from './participants.js';
import { privacyTexts } from './privacy-texts.js';
import { RegistrationSection } from './registration.js';
import type { EventTab } from './routes.js';
import { StaffSection } from './staff.js';
import { WebhooksSection } from './webhooks.js';

/** Opens or closes the event after the admin confirms; closing disconnects everyone, everywhere. */
function OpenCloseButton(props: { context: AdminContext; event: AdminEvent; onChanged(event: AdminEvent): void }) {
  const { context, event } = props;
  const { texts } = context;
  const closing = event.is_active;
  return (
    <ConfirmButton
      label={closing ? texts.closeEvent : texts.openEvent}
      class={closing ? 'danger' : undefined}
      title={closing ? texts.confirmCloseTitle : texts.confirmOpenTitle}
      body={closing ? texts.confirmCloseBody : texts.confirmOpenBody}
      danger={closing}
      context={context}
      action={async () => props.onChanged(await context.client.updateEvent(event.id, { is_active: !closing }))}
    />
  );
}

const tabLabel = (context: AdminContext): Record<EventTab, string> => ({
  settings: context.texts.tabSettings,
  registration: privacyTexts(context.lang).tabRegistration,
  participants: privacyTexts(context.lang).tabParticipants,
  staff: context.texts.tabStaff,
  embed: context.texts.tabEmbed,
  webhooks: context.texts.tabWebhooks,
  mail: journeyAdminTexts(context.lang).tabMail,
  log: context.texts.tabLog,
});

/** Starts the broadcast of a scheduled event after the admin confirms: waiting rooms turn live and attendees are mailed. */
function GoLiveButton(props: { context: AdminContext; event: AdminEvent; onChanged(event: AdminEvent): void }) {
  const { context, event } = props;
  const texts = journeyAdminTexts(context.lang);
  return (
    <ConfirmButton
      label={texts.goLive}
      title={texts.confirmGoLiveTitle}
      body={texts.confirmGoLiveBody}
      context={context}
      action={async () => props.onChanged(await context.client.updateEvent(event.id, { live: true }))}
    />
  );
}

/** One event: its state and pages, and a tab per part of its administration. */
export function EventPage({ context, id, tab }: { context: AdminContext; id: number; tab: EventTab }) {
  const { texts } = context;
  const loaded = useLoaded(() => context.client.getEvent(id), id, context.lang);
  const event = loaded.value;
  if (loaded.error) return <Notice tone="error">{loaded.error}</Notice>;
  if (!event || event.id !== id) return <Notice>{texts.loading}</Notice>;

  const labels = tabLabel(context);
  const pages: Array<[string, string]> = [
    [texts.publicPage, ''],
    [texts.modPage, 'mod'],
    [texts.speakerPage, 'speaker'],
    [texts.reportsPage, 'reports'],
  ];
  return (
    <section class="event-page" aria-labelledby="event-page-title">
      <div class="panel">
        <ViewLink context={context} to={{ name: 'list' }} class="back">
          {texts.backToEvents}
        </ViewLink>
        <div class="panel-header">
          <h2 id="event-page-title" class="event-heading">
            {event.title}
          </h2>
          <div class="actions">
            <StateBadge event={event} context={context} />
            <span class={`badge state-${event.state}`}>{journeyAdminTexts(context.lang).states[event.state]}</span>
            <span class="meta viewers">{texts.viewersNow(event.viewers_now ?? 0)}</span>
          </div>
        </div>
        <div class="panel-header">
          <ul class="links" aria-label={texts.eventSections}>
            {pages.map(([label, page]) => (
              <li key={page}>
                <a href={eventPageUrl(context, event.slug, page)} target="_blank" rel="noopener">
                  {label}
                </a>
              </li>
            ))}
          </ul>
          <div class="actions">
            {event.state === 'scheduled' && <GoLiveButton context={context} event={event} onChanged={loaded.setValue} />}
            <OpenCloseButton context={context} event={event} onChanged={loaded.setValue} />
          </div>
        </div>
        <nav class="tabs" aria-label={texts.eventSections}>
          {(Object.keys(labels) as EventTab[]).map((name) => (
            <ViewLink key={name} context={context} to={{ name: 'event', id, tab: name }} class="tab" current={name === tab}>
              {labels[name]}
            </ViewLink>
          ))}
        </nav>
      </div>
      <div class="panel">
        {tab === 'settings' && <EventForm key={event.id} context={context} event={event} onSaved={loaded.setValue} />}
        {tab === 'registration' && <RegistrationSection key={event.id} context={context} event={event} onSaved={loaded.setValue} />}
        {tab === 'participants' && <ParticipantsSection context={context} event={event} />}
        {tab === 'staff' && <StaffSection context={context} event={event} />}
        {tab === 'embed' && <EmbedSnippet context={context} event={event} onChanged={loaded.setValue} />}
        {tab === 'webhooks' && <WebhooksSection context={context} event={event} />}
        {tab === 'mail' && <MailSection context={context} event={event} />}
        {tab === 'log' && <ModerationLog context={context} event={event} />}
      </div>
    </section>
  );
}
