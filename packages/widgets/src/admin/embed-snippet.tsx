import { useRef, useState } from 'preact/hooks';
import type { AdminEvent } from '@palco/sdk';
import type { AdminContext } from './context.js';
import { ConfirmButton, CopyButton } from './parts.js';

/** What a producer pastes into a page: the script tag and the elements, as in docs/embedding.md. */
export function embedSnippet(api: string, slug: string): string {
  return [
    `<script src="${api}/embed.js" async></script>`,
    '',
    `<palco-player   event="${slug}"></palco-player>`,
    `<palco-register event="${slug}"></palco-register>`,
    `<palco-chat     event="${slug}"></palco-chat>`,
    `<palco-qa       event="${slug}"></palco-qa>`,
  ].join('\n');
}

export function EmbedSnippet(props: { context: AdminContext; event: AdminEvent; onChanged(event: AdminEvent): void }) {
  const { context, event } = props;
  const { texts } = context;
  const code = useRef<HTMLElement>(null);
  // The secret signs identity tokens: shown only when asked, so a screen share or a shoulder does not leak it.
  const [secretShown, setSecretShown] = useState(false);
  const snippet = embedSnippet(context.api, event.slug);

  return (
    <div class="stack">
      <h3>{texts.embedTitle}</h3>
      <p class="hint">{texts.embedHint}</p>
      <div class="snippet">
        <pre>
          <code ref={code} id="embed-snippet">
            {snippet}
          </code>
        </pre>
        <CopyButton text={snippet} texts={texts} controls="embed-snippet" selectable={() => code.current} />
      </div>
      {event.allowed_origins.length === 0 ? (
        <p class="banner">{texts.embedNoOrigins}</p>
      ) : (
        <p class="hint">{texts.embedOrigins(event.allowed_origins.join(', '))}</p>
      )}

      <h3>{texts.embedSecret}</h3>
      <p class="hint">{texts.embedSecretHint}</p>
      <div class="row">
        <code class="secret" id="embed-secret">
          {secretShown ? event.embed_secret : <span class="hint">{texts.hiddenSecret}</span>}
        </code>
        <button type="button" class="secondary small" aria-controls="embed-secret" aria-expanded={secretShown} onClick={() => setSecretShown(!secretShown)}>
          {secretShown ? texts.hideSecret : texts.showSecret}
        </button>
        {secretShown && <CopyButton text={event.embed_secret} texts={texts} controls="embed-secret" class="secondary small" />}
        <ConfirmButton
          label={texts.rotateSecret}
          class="secondary small"
          title={texts.confirmRotateTitle}
          body={texts.confirmRotateBody}
          danger
          context={context}
          action={async () => props.onChanged(await context.client.updateEvent(event.id, { rotate_embed_secret: true }))}
        />
      </div>
    </div>
  );
}
