import { useState } from 'preact/hooks';
import { fieldValueText, localizedText, RegistrationStatus, type AdminEvent, type ParticipantReport } from '@palco/sdk';
import { formatters } from '../format.js';
import { ErrorLine, Notice } from '../shared.js';
import type { AdminContext } from './context.js';
import { ConfirmButton, failureOf, useLoaded } from './parts.js';
import { privacyTexts } from './privacy-texts.js';

const pageSize = 50;

/** Saves a document the browser holds as a file: the person's export is fetched with the admin's session. */
function download(name: string, document: unknown) {
  const link = window.document.createElement('a');
  link.href = URL.createObjectURL(new Blob([JSON.stringify(document, null, 2)], { type: 'application/json' }));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** The event's attendees, searchable by any answer, each with admit, export and erase. */
export function ParticipantsSection({ context, event }: { context: AdminContext; event: AdminEvent }) {
  const { lang } = context;
  const texts = privacyTexts(lang);
  const [search, setSearch] = useState('');
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const query = { q: search.trim() || undefined, offset, limit: pageSize };
  const page = useLoaded(() => context.client.participants(event.slug, query), JSON.stringify(query), lang);

  const act = async (action: () => Promise<unknown>) => {
    try {
      await action();
      setError(null);
      page.reload();
    } catch (failure) {
      setError(failureOf(failure, lang).message);
    }
  };
  const answers = (row: ParticipantReport) =>
    event.registration_fields
      .filter((field) => row.fields[field.key] !== undefined)
      .map((field) => `${localizedText(field.label, lang)}: ${fieldValueText(row.fields[field.key], lang)}`)
      .join(' · ');

  return (
    <div class="stack">
      <div class="field">
        <label for="participant-search">{texts.searchParticipants}</label>
        <input
          id="participant-search"
          type="search"
          value={search}
          onInput={(domEvent) => {
            setSearch(domEvent.currentTarget.value);
            setOffset(0);
          }}
        />
      </div>
      {page.error && <Notice tone="error">{page.error}</Notice>}
      {page.value && <p class="meta" aria-live="polite">{texts.total(page.value.total)}</p>}
      {page.value?.items.length === 0 && <Notice>{texts.noParticipants}</Notice>}
      {page.value && page.value.items.length > 0 && (
        <div class="table-wrap">
          <table class="participants">
            <thead>
              <tr>
                <th scope="col">{context.texts.name}</th>
                <th scope="col">{context.texts.email}</th>
                <th scope="col">{texts.answers}</th>
                <th scope="col">{texts.consent}</th>
                <th scope="col">{context.texts.action}</th>
              </tr>
            </thead>
            <tbody>
              {page.value.items.map((row) => (
                <tr key={row.user_id}>
                  <td>
                    {row.name}
                    <span class="meta"> · {texts.status[row.status]}</span>
                  </td>
                  <td>{row.email}</td>
                  <td>{answers(row)}</td>
                  <td class="meta">
                    {row.consent_at ? (
                      <time dateTime={row.consent_at}>
                        {formatters(lang).dateTime(row.consent_at)} (v{row.consent_version})
                      </time>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td class="actions">
                    {row.status === RegistrationStatus.waitlisted && (
                      <button type="button" class="small" onClick={() => act(() => context.client.admitParticipant(event.id, row.user_id))}>
                        {texts.admit}
                      </button>
                    )}
                    <button
                      type="button"
                      class="secondary small"
                      onClick={() =>
                        act(async () => download(`${event.slug}-person-${row.user_id}.json`, await context.client.exportParticipant(event.id, row.user_id)))
                      }
                    >
                      {texts.exportPerson}
                    </button>
                    <ConfirmButton
                      label={texts.erase}
                      class="danger small"
                      danger
                      title={texts.confirmEraseTitle(row.name)}
                      body={texts.confirmEraseBody}
                      context={context}
                      action={async () => {
                        await context.client.eraseParticipant(event.id, row.user_id);
                        page.reload();
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorLine message={error} />
      <div class="actions">
        {offset > 0 && (
          <button type="button" class="secondary" onClick={() => setOffset(Math.max(0, offset - pageSize))}>
            {texts.previous}
          </button>
        )}
        {page.value && page.value.total > offset + pageSize && (
          <button type="button" class="secondary" onClick={() => setOffset(offset + pageSize)}>
            {texts.next}
          </button>
        )}
      </div>
    </div>
  );
}
