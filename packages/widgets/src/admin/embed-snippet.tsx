import { useRef, useState } from 'preact/hooks';
import type { AdminEvent } from '@palco/sdk';
import type { AdminContext } from './context.js';
import { ConfirmButton } from './parts.js';

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

type CopyState = 'idle' | 'copied' | 'failed';

/** Selects the text, so copying by hand is one keystroke when the clipboard is refused. */
function selectText(element: HTMLElement) {
  const selection = element.ownerDocument.getSelection();
  selection?.selectAllChildren(element);
}

export function EmbedSnippet(props: { context: AdminContext; event: AdminEvent; onChanged(event: AdminEvent): void }) {
  const { context, event } = props;
  const { texts } = context;
  const code = useRef<HTMLElement>(null);
  const [copy, setCopy] = useState<CopyState>('idle');
  const snippet = embedSnippet(context.api, event.slug);

  const copySnippet = async () => {
    try {
      await navigator.clipboard.writeText(code.current?.textContent ?? snippet);
      setCopy('copied');
    } catch {
      if (code.current) selectText(code.current);
      setCopy('failed');
    }
  };

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
        <button type="button" class="small" aria-controls="embed-snippet" onClick={copySnippet}>
          {copy === 'copied' ? texts.copied : texts.copy}
        </button>
      </div>
      <p role="status" class={copy === 'failed' ? 'form-error' : 'hint'}>
        {copy === 'failed' ? texts.copyFailed : ''}
      </p>
      {event.allowed_origins.length === 0 ? (
        <p class="banner">{texts.embedNoOrigins}</p>
      ) : (
        <p class="hint">{texts.embedOrigins(event.allowed_origins.join(', '))}</p>
      )}

      <h3>{texts.embedSecret}</h3>
      <p class="hint">{texts.embedSecretHint}</p>
      <div class="row">
        <code class="secret">{event.embed_secret}</code>
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
