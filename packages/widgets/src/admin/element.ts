import { h, render } from 'preact';
import { createAdminClient, pickLang } from '@palco/sdk';
import { defaultApi } from '../default-api.js';
import { CommonAttributes, shadowMount } from '../element.js';
import { playerStyles } from '../widgets/player.js';
import { AdminApp } from './app.js';
import { adminStyles } from './styles.js';

/** Attributes of <palco-admin>: property name → attribute name. */
export const AdminAttributes = {
  api: CommonAttributes.api,
  lang: CommonAttributes.lang,
  /** The path the views live under (the hosted page uses /admin/events); without it the address never changes. */
  base: 'base',
} as const;

/**
 * <palco-admin>: the administrators' app in a shadow root, styled like the widgets. It
 * signs in with its own form or finds the session cookie the backend set.
 */
export class PalcoAdminElement extends HTMLElement {
  static readonly observedAttributes: readonly string[] = Object.values(AdminAttributes);
  readonly #mount: HTMLElement;

  constructor() {
    super();
    this.#mount = shadowMount(this, playerStyles + adminStyles);
  }

  connectedCallback() {
    this.#render();
  }

  disconnectedCallback() {
    render(null, this.#mount);
  }

  attributeChangedCallback(_name: string, previous: string | null, next: string | null) {
    if (this.isConnected && previous !== next) this.#render();
  }

  #render() {
    const lang = pickLang(this.getAttribute(AdminAttributes.lang));
    const api = (this.getAttribute(AdminAttributes.api) || defaultApi).replace(/\/+$/, '');
    const client = createAdminClient({ baseUrl: api, lang });
    // A new client (another language or backend) starts the app afresh.
    render(null, this.#mount);
    render(h(AdminApp, { client, lang, api, base: this.getAttribute(AdminAttributes.base) }), this.#mount);
  }
}

export function defineAdminElement(registry: CustomElementRegistry = customElements): void {
  if (!registry.get('palco-admin')) registry.define('palco-admin', PalcoAdminElement);
}

declare global {
  interface HTMLElementTagNameMap {
    'palco-admin': PalcoAdminElement;
  }
}
