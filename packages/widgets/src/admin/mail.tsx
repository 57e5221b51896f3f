import { useEffect, useRef, useState } from 'preact/hooks';
import type { AdminEvent, OutboxMessage, OutboxMessageContent } from '@palco/sdk';
import { formatters } from '../format.js';
import { ErrorLine, Notice } from '../shared.js';
import type { AdminContext } from './context.js';
import { journeyAdminTexts } from './journey-texts.js';
import { failureOf, useLoaded } from './parts.js';

const pageSize = 50;

/**
 * One message as its reader gets it: the HTML in a sandboxed frame (no scripts, no forms, no
 * navigation of this page), or the plain text. Focus moves to its heading when it opens.
 */
function MailView(props: { context: AdminContext; eventId: number; content: OutboxMessageContent; onClose(): void }) {
  const { context, content } = props;
  const texts = journeyAdminTexts(context.lang);
  const [asHtml, setAsHtml] = useState(content.html !== null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [content.id]);
  return (
    <section class="mail-view" aria-labelledby="mail-view-title">
      <div class="panel-header">
        <h3 id="mail-view-title" ref={heading} tabIndex={-1}>
          {content.subject}
        </h3>
        <button type="button" class="secondary small" onClick={props.onClose}>
          {texts.close}
        </button>
      </div>
      <p class="meta">
        {content.from} → {content.to}
      </p>
      {content.html !== null && content.text !== null && (
        <div class="row" role="group" aria-label={texts.subject}>
          <button type="button" class="secondary small" aria-pressed={asHtml} onClick={() => setAsHtml(true)}>
            {texts.asHtml}
          </button>
          <button type="button" class="secondary small" aria-pressed={!asHtml} onClick={() => setAsHtml(false)}>
            {texts.asText}
          </button>
        </div>
      )}
      {asHtml && content.html !== null ? (
        // The server sends the HTML under a policy of its own (its inline styles apply, nothing
        // runs); a srcdoc frame would inherit this page's policy and lose the styles.
        <iframe title={content.subject} sandbox="" src={`${context.api}/api/admin/events/${props.eventId}/mail/${content.id}/html`} />
      ) : (
        <pre>{content.text ?? ''}</pre>
      )}
    </section>
  );
}

/** The event's outbox: each email's kind, recipient, status, attempts, last error and time sent, and the message itself. */
export function MailSection({ context, event }: { context: AdminContext; event: AdminEvent }) {
  const { lang } = context;
  const texts = journeyAdminTexts(lang);
  const format = formatters(lang);
  const first = useLoaded(() => context.client.listMail(event.id, { limit: pageSize }), event.id, lang);
  const [older, setOlder] = useState<OutboxMessage[]>([]);
  const [hasMore, setHasMore] = useState<boolean | null>(null);
  const [open, setOpen] = useState<OutboxMessageContent | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const items = [...(first.value?.items ?? []), ...older];
  const more = hasMore ?? first.value?.has_more ?? false;

  const loadMore = async () => {
    try {
      const page = await context.client.listMail(event.id, { limit: pageSize, before: items.at(-1)?.id });
      setOlder((current) => [...current, ...page.items]);
      setHasMore(page.has_more);
    } catch (error) {
      setProblem(failureOf(error, lang).message);
    }
  };
  const view = async (message: OutboxMessage) => {
    setProblem(null);
    try {
      setOpen(await context.client.mailContent(event.id, message.id));
    } catch (error) {
      setProblem(failureOf(error, lang).message);
    }
  };

  return (
    <section class="stack" aria-labelledby="mail-title">
      <h2 id="mail-title">{texts.mailTitle}</h2>
      <p class="hint">{texts.mailHint}</p>
      {first.error && <Notice tone="error">{first.error}</Notice>}
      {first.value && items.length === 0 && <Notice>{texts.mailEmpty}</Notice>}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="outbox">
            <thead>
              <tr>
                <th scope="col">{texts.kind}</th>
                <th scope="col">{texts.recipient}</th>
                <th scope="col">{texts.status}</th>
                <th scope="col">{texts.attempts}</th>
                <th scope="col">{texts.lastError}</th>
                <th scope="col">{texts.sentAt}</th>
                <th scope="col">
                  <span class="visually-hidden">{texts.open}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((message) => (
                <tr key={message.id}>
                  <td>{texts.mailKinds[message.kind] ?? message.kind}</td>
                  <td class="url">{message.recipient}</td>
                  <td>
                    <span class={`badge status-${message.status}`}>{texts.mailStatuses[message.status] ?? message.status}</span>
                  </td>
                  <td>{message.attempts}</td>
                  <td class="changes">{message.last_error ?? ''}</td>
                  <td>{message.sent_at && <time dateTime={message.sent_at}>{format.dateTime(message.sent_at)}</time>}</td>
                  <td>
                    {message.status === 'sent' && (
                      <button type="button" class="secondary small" aria-label={texts.openMessage(message.recipient)} onClick={() => view(message)}>
                        {texts.open}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more && (
        <div class="row">
          <button type="button" class="secondary" onClick={loadMore}>
            {texts.loadMore}
          </button>
        </div>
      )}
      <ErrorLine message={problem} />
      {open && <MailView key={open.id} context={context} eventId={event.id} content={open} onClose={() => setOpen(null)} />}
    </section>
  );
}
