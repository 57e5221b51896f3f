import { useState } from 'preact/hooks';
import type { AdminEvent, ModerationEntry } from '@palco/sdk';
import { formatters } from '../format.js';
import { ErrorLine, Notice } from '../shared.js';
import type { AdminContext } from './context.js';
import { failureOf, useLoaded } from './parts.js';

const pageSize = 50;

/** Who approved, rejected, deleted, blocked or banned whom, and when; newest first, paged. */
export function ModerationLog({ context, event }: { context: AdminContext; event: AdminEvent }) {
  const { texts, lang } = context;
  const first = useLoaded(() => context.client.moderationLog(event.slug, { limit: pageSize }), event.slug, lang);
  const [older, setOlder] = useState<ModerationEntry[]>([]);
  const [hasMore, setHasMore] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  if (first.error) return <Notice tone="error">{first.error}</Notice>;
  if (!first.value) return <Notice>{texts.loading}</Notice>;
  const entries = [...first.value.items, ...older];
  const more = hasMore ?? first.value.has_more;

  const loadMore = async () => {
    setPending(true);
    try {
      const page = await context.client.moderationLog(event.slug, { after: entries.at(-1)?.id, limit: pageSize });
      setOlder((current) => [...current, ...page.items]);
      setHasMore(page.has_more);
      setError(null);
    } catch (failure) {
      setError(failureOf(failure, lang).message);
    } finally {
      setPending(false);
    }
  };

  const actionText = (entry: ModerationEntry) =>
    entry.action === 'highlight' && entry.target_id === null ? texts.clearedHighlight : texts.logActions[entry.action];

  return (
    <div class="stack">
      <h3>{texts.logTitle}</h3>
      {entries.length === 0 ? (
        <Notice>{texts.logEmpty}</Notice>
      ) : (
        <div class="table-wrap">
          <table class="log">
            <thead>
              <tr>
                <th scope="col">{texts.when}</th>
                <th scope="col">{texts.who}</th>
                <th scope="col">{texts.action}</th>
                <th scope="col">{texts.whom}</th>
                <th scope="col">{texts.item}</th>
                <th scope="col">{texts.reasonColumn}</th>
                <th scope="col">{texts.detailColumn}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td class="meta">
                    <time dateTime={entry.created_at}>{formatters(lang).dateTime(entry.created_at)}</time>
                  </td>
                  <td>{entry.actor_name ?? texts.someone}</td>
                  <td>{actionText(entry)}</td>
                  <td>{entry.target_user_name ?? '—'}</td>
                  <td class="meta">{entry.target_id === null ? '—' : `#${entry.target_id}`}</td>
                  <td>{entry.reason ?? '—'}</td>
                  <td class="meta">{entry.detail ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorLine message={error} />
      {more && (
        <button type="button" class="secondary" disabled={pending} onClick={loadMore}>
          {pending ? texts.loading : texts.loadMore}
        </button>
      )}
    </div>
  );
}
