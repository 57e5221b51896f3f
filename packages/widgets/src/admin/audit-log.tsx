import { useState } from 'preact/hooks';
import { auditActions, type AdminEvent, type AuditAction, type AuditEntry } from '@palco/sdk';
import { formatters } from '../format.js';
import { ErrorLine, Notice } from '../shared.js';
import type { AdminContext } from './context.js';
import { failureOf, useLoaded } from './parts.js';
import { privacyTexts } from './privacy-texts.js';

const pageSize = 50;

interface Filters {
  event_id: string;
  action: string;
  from: string;
  to: string;
}

/** A `datetime-local` value ("2026-03-01T18:30", the reader's own time) as an ISO instant. */
const instant = (local: string) => (local ? new Date(local).toISOString() : undefined);

/** Each change as `field: before → after`, values as JSON so text and numbers read apart. */
function describeChanges(changes: AuditEntry['changes']): string {
  return Object.entries(changes)
    .map(([field, change]) => {
      if (change && typeof change === 'object' && ('before' in change || 'after' in change)) {
        const { before, after } = change as { before?: unknown; after?: unknown };
        return `${field}: ${before === undefined ? '' : `${JSON.stringify(before)} → `}${after === undefined ? '∅' : JSON.stringify(after)}`;
      }
      return `${field}: ${JSON.stringify(change)}`;
    })
    .join('; ');
}

/** Every administrator action, newest first, filtered by event, action and time. */
export function AuditLog({ context }: { context: AdminContext }) {
  const { lang } = context;
  const texts = privacyTexts(lang);
  const [draft, setDraft] = useState<Filters>({ event_id: '', action: '', from: '', to: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [older, setOlder] = useState<AuditEntry[]>([]);
  const [hasMore, setHasMore] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const events = useLoaded(() => context.client.listEvents(), 'events', lang);
  const options = {
    event_id: filters.event_id ? Number(filters.event_id) : undefined,
    action: (filters.action || undefined) as AuditAction | undefined,
    from: instant(filters.from),
    to: instant(filters.to),
    limit: pageSize,
  };
  const first = useLoaded(() => context.client.auditLog(options), JSON.stringify(filters), lang);

  const titles = new Map((events.value ?? []).map((event: AdminEvent) => [event.id, event.title]));
  const entries = [...(first.value?.items ?? []), ...older];
  const more = hasMore ?? first.value?.has_more ?? false;

  const loadMore = async () => {
    try {
      const page = await context.client.auditLog({ ...options, before: entries.at(-1)?.id });
      setOlder((current) => [...current, ...page.items]);
      setHasMore(page.has_more);
      setError(null);
    } catch (failure) {
      setError(failureOf(failure, lang).message);
    }
  };

  return (
    <section class="panel stack" aria-labelledby="audit-title">
      <h2 id="audit-title">{texts.auditTitle}</h2>
      <form
        class="filters"
        onSubmit={(domEvent) => {
          domEvent.preventDefault();
          setOlder([]);
          setHasMore(null);
          setFilters(draft);
        }}
      >
        <div class="field">
          <label for="audit-event">{texts.filterEvent}</label>
          <select id="audit-event" value={draft.event_id} onChange={(domEvent) => setDraft({ ...draft, event_id: domEvent.currentTarget.value })}>
            <option value="">{texts.anyEvent}</option>
            {(events.value ?? []).map((event) => (
              <option key={event.id} value={String(event.id)}>
                {event.title}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="audit-action">{texts.filterAction}</label>
          <select id="audit-action" value={draft.action} onChange={(domEvent) => setDraft({ ...draft, action: domEvent.currentTarget.value })}>
            <option value="">{texts.anyAction}</option>
            {auditActions.map((action) => (
              <option key={action} value={action}>
                {texts.actions[action]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="audit-from">{texts.from}</label>
          <input id="audit-from" type="datetime-local" value={draft.from} onInput={(domEvent) => setDraft({ ...draft, from: domEvent.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="audit-to">{texts.to}</label>
          <input id="audit-to" type="datetime-local" value={draft.to} onInput={(domEvent) => setDraft({ ...draft, to: domEvent.currentTarget.value })} />
        </div>
        <button type="submit">{texts.filter}</button>
      </form>
      {first.error && <Notice tone="error">{first.error}</Notice>}
      {!first.value && !first.error && <Notice>{context.texts.loading}</Notice>}
      {first.value && entries.length === 0 && <Notice>{texts.auditEmpty}</Notice>}
      {entries.length > 0 && (
        <div class="table-wrap">
          <table class="log">
            <thead>
              <tr>
                <th scope="col">{context.texts.when}</th>
                <th scope="col">{context.texts.who}</th>
                <th scope="col">{context.texts.action}</th>
                <th scope="col">{texts.target}</th>
                <th scope="col">{texts.changes}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td class="meta">
                    <time dateTime={entry.created_at}>{formatters(lang).dateTime(entry.created_at)}</time>
                  </td>
                  <td>{entry.actor_id === null ? texts.palco : (entry.actor_name ?? context.texts.someone)}</td>
                  <td>{texts.actions[entry.action]}</td>
                  <td class="meta">
                    {entry.event_id === null ? '—' : (titles.get(entry.event_id) ?? `#${entry.event_id}`)}
                    {entry.target_id === null ? '' : ` · ${entry.target_type} #${entry.target_id}`}
                  </td>
                  <td class="changes">{describeChanges(entry.changes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorLine message={error} />
      {more && (
        <button type="button" class="secondary" onClick={loadMore}>
          {context.texts.loadMore}
        </button>
      )}
    </section>
  );
}
