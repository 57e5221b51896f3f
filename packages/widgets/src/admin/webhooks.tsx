import { useState } from 'preact/hooks';
import {
  Limits,
  WebhookCreateInput,
  webhookTopics,
  validate,
  type AdminEvent,
  type Webhook,
  type WebhookDelivery,
  type WebhookTopic,
} from '@palco/sdk';
import { formatters } from '../format.js';
import { ErrorLine, Notice } from '../shared.js';
import type { AdminContext } from './context.js';
import { ConfirmButton, Field, failureOf, invalidFields, useLoaded, useSubmit } from './parts.js';

const deliveriesShown = 10;

function AddWebhookForm(props: { context: AdminContext; event: AdminEvent; onAdded(webhook: Webhook): void }) {
  const { context } = props;
  const { texts, lang } = context;
  const [url, setUrl] = useState('');
  const [topics, setTopics] = useState<WebhookTopic[]>([...webhookTopics]);
  const submit = useSubmit(lang);
  const onSubmit = (domEvent: Event) => {
    domEvent.preventDefault();
    void submit.run(async () => {
      const checked = validate(WebhookCreateInput, { url, topics });
      if (!checked.ok) return submit.setFailure(invalidFields(checked.fields, lang, texts));
      props.onAdded(await context.client.createWebhook(props.event.id, checked.value));
      setUrl('');
    });
  };
  const toggle = (topic: WebhookTopic, on: boolean) =>
    setTopics((current) => (on ? [...current, topic] : current.filter((other) => other !== topic)));
  return (
    <form ref={submit.form} class="form" noValidate onSubmit={onSubmit} aria-labelledby="add-webhook-title">
      <h3 id="add-webhook-title">{texts.addWebhook}</h3>
      <Field id="webhook-url" label={texts.webhookUrl} type="url" value={url} onInput={setUrl} error={submit.failure?.fields.url} maxLength={Limits.urlMax} required />
      <fieldset aria-invalid={submit.failure?.fields.topics ? 'true' : undefined}>
        <legend>{texts.topics}</legend>
        {webhookTopics.map((topic) => (
          <label key={topic} class="check">
            <input type="checkbox" checked={topics.includes(topic)} onChange={(e) => toggle(topic, e.currentTarget.checked)} />
            {texts.topicNames[topic]}
          </label>
        ))}
        {submit.failure?.fields.topics && <p class="field-error">{submit.failure.fields.topics}</p>}
      </fieldset>
      <ErrorLine message={submit.failure?.message} />
      <div class="actions">
        <button type="submit" disabled={submit.pending}>
          {submit.pending ? texts.saving : texts.addWebhook}
        </button>
      </div>
    </form>
  );
}

function DeliveryRow(props: { context: AdminContext; event: AdminEvent; delivery: WebhookDelivery; onChanged(delivery: WebhookDelivery): void }) {
  const { context, delivery } = props;
  const { texts, lang } = context;
  const [error, setError] = useState<string | null>(null);
  return (
    <tr>
      <td class="meta">
        <time dateTime={delivery.created_at}>{formatters(lang).dateTime(delivery.created_at)}</time>
      </td>
      <td>{texts.topicNames[delivery.topic]}</td>
      <td>
        <span class={`badge status-${delivery.status}`}>{texts.deliveryStatus[delivery.status]}</span>
      </td>
      <td class="meta">
        {texts.attempts(delivery.attempts)}
        {delivery.last_error && ` · ${delivery.last_error}`}
        {error && <span class="field-error"> {error}</span>}
      </td>
      <td>
        {delivery.status === 'failed' && (
          <button
            type="button"
            class="secondary small"
            onClick={async () => {
              try {
                props.onChanged(await context.client.redeliver(props.event.id, delivery.webhook_id, delivery.id));
              } catch (failure) {
                setError(failureOf(failure, lang).message);
              }
            }}
          >
            {texts.redeliver}
          </button>
        )}
      </td>
    </tr>
  );
}

function WebhookCard(props: { context: AdminContext; event: AdminEvent; webhook: Webhook; onChanged(webhook: Webhook | null): void }) {
  const { context, event, webhook } = props;
  const { texts, lang } = context;
  const [showSecret, setShowSecret] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const deliveries = useLoaded(() => context.client.listDeliveries(event.id, webhook.id, { limit: deliveriesShown }), webhook.id, lang);
  const items = deliveries.value?.items ?? [];

  const setActive = async () => {
    try {
      props.onChanged(await context.client.updateWebhook(event.id, webhook.id, { active: !webhook.active }));
      setError(null);
    } catch (failure) {
      setError(failureOf(failure, lang).message);
    }
  };

  return (
    <li class="card webhook" aria-label={webhook.url}>
      <div class="card-main">
        <span class="author url">{webhook.url}</span>
        <span class="meta">{webhook.topics.map((topic) => texts.topicNames[topic]).join(' · ')}</span>
      </div>
      <div class="card-side actions">
        <span class={webhook.active ? 'badge open' : 'badge'}>{webhook.active ? texts.active : texts.inactive}</span>
        <button type="button" class="secondary small" onClick={setActive}>
          {webhook.active ? texts.deactivate : texts.activate}
        </button>
        <button type="button" class="secondary small" aria-pressed={showSecret} onClick={() => setShowSecret(!showSecret)}>
          {showSecret ? texts.hideSecret : texts.showSecret}
        </button>
        <ConfirmButton
          label={texts.remove}
          class="danger small"
          title={texts.confirmDeleteWebhookTitle}
          body={texts.confirmDeleteWebhookBody}
          danger
          context={context}
          action={async () => {
            await context.client.deleteWebhook(event.id, webhook.id);
            props.onChanged(null);
          }}
        />
      </div>
      {showSecret && (
        <p class="wide">
          {texts.secret}: <code class="secret">{webhook.secret}</code>
        </p>
      )}
      <ErrorLine message={error} />
      <div class="wide">
        <h3>{texts.deliveries}</h3>
        {deliveries.error && <Notice tone="error">{deliveries.error}</Notice>}
        {deliveries.value && items.length === 0 && <p class="hint">{texts.noDeliveries}</p>}
        {items.length > 0 && (
          <div class="table-wrap">
            <table class="deliveries">
              <tbody>
                {items.map((delivery) => (
                  <DeliveryRow
                    key={delivery.id}
                    context={context}
                    event={event}
                    delivery={delivery}
                    onChanged={(changed) =>
                      deliveries.setValue({ ...deliveries.value!, items: items.map((item) => (item.id === changed.id ? changed : item)) })
                    }
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </li>
  );
}

/** The event's webhooks, their secrets and how their recent deliveries went. */
export function WebhooksSection({ context, event }: { context: AdminContext; event: AdminEvent }) {
  const { texts, lang } = context;
  const webhooks = useLoaded(() => context.client.listWebhooks(event.id), event.id, lang);
  const list = webhooks.value ?? [];
  return (
    <div class="stack">
      <h3>{texts.webhooksTitle}</h3>
      <p class="hint">{texts.webhooksHint}</p>
      {webhooks.error && <Notice tone="error">{webhooks.error}</Notice>}
      {webhooks.value && list.length === 0 && <Notice>{texts.noWebhooks}</Notice>}
      <ul class="list">
        {list.map((webhook) => (
          <WebhookCard
            key={webhook.id}
            context={context}
            event={event}
            webhook={webhook}
            onChanged={(changed) =>
              webhooks.setValue(
                changed ? list.map((item) => (item.id === changed.id ? changed : item)) : list.filter((item) => item.id !== webhook.id),
              )
            }
          />
        ))}
      </ul>
      <AddWebhookForm context={context} event={event} onAdded={(webhook) => webhooks.setValue([...list, webhook])} />
    </div>
  );
}
