import { h, render, type ComponentType } from 'preact';
import { errorText, pickLang, type Lang } from '@palco/sdk';
import { eventSession } from './client-registry.js';
import { defaultApi } from './default-api.js';
import type { EventSession, SessionState, SessionStatus } from './event-session.js';
import { emitFrom, type EmitPalcoEvent, type PalcoEventDetails, type PalcoEventName } from './events.js';
import { adoptStyles, baseStyles } from './styles.js';
import { widgetTexts, type WidgetTexts } from './texts.js';

/** Attributes every element takes: property name → attribute name. */
export const CommonAttributes = { event: 'event', api: 'api', lang: 'lang' } as const;

export type AttributeMap = Readonly<Record<string, string>>;
export type AttributeValues<A extends AttributeMap> = { readonly [K in keyof A]: string | null };

export interface WidgetProps<A extends AttributeMap = typeof CommonAttributes> {
  session: EventSession;
  lang: Lang;
  texts: WidgetTexts;
  attributes: AttributeValues<A>;
  emit: EmitPalcoEvent;
  host: HTMLElement;
}

export interface WidgetDefinition<A extends AttributeMap> {
  attributes: A;
  styles: string;
  component: ComponentType<WidgetProps<A>>;
  /** false for widgets that only read over HTTP (the report): no socket is opened for them. */
  realtime?: boolean;
}

export interface WidgetElementClass {
  new (): HTMLElement;
  readonly observedAttributes: readonly string[];
}

function readAttributes<A extends AttributeMap>(element: HTMLElement, attributes: A): AttributeValues<A> {
  const values: Record<string, string | null> = {};
  for (const [property, attribute] of Object.entries(attributes)) values[property] = element.getAttribute(attribute);
  return values as AttributeValues<A>;
}

/** Opens the element's shadow root with the shared styles and `styles`; returns the node Preact renders into. */
export function shadowMount(host: HTMLElement, styles: string): HTMLElement {
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, baseStyles + styles);
  // Preact renders into its own node, so it never touches the style fallback beside it.
  const mount = document.createElement('div');
  mount.className = 'root';
  root.append(mount);
  return mount;
}

/**
 * The session states already announced to the page. Each state object is one turning point
 * (the session makes a new one per change and hands the same one to every element), so the
 * first element to see it lets its event bubble and the others keep theirs to themselves:
 * `document` hears `palco:ready` once however many elements show the event.
 */
const announced = new WeakSet<SessionState>();

/** Marks Palco's element classes, whichever copy of a script defined them (Symbol.for is shared page-wide). */
const palcoElement = Symbol.for('palco.element');

/**
 * A custom element around a Preact component: an open shadow root, observed attributes
 * derived from the definition's map, a property per attribute, and the page-wide event session.
 */
export function widgetElement<A extends AttributeMap>(definition: WidgetDefinition<A>): WidgetElementClass {
  class PalcoWidgetElement extends HTMLElement {
    static readonly observedAttributes: readonly string[] = Object.values(definition.attributes);
    static readonly [palcoElement] = true;
    readonly #mount: HTMLElement;
    #session: EventSession | null = null;
    #stopWatching: (() => void) | null = null;
    readonly #emit = emitFrom(this);
    /** Where each scrolled list inside stood, and whether at its end: a move out of the document and back resets it. */
    readonly #scrolled = new Map<Element, { top: number; atEnd: boolean }>();

    constructor() {
      super();
      this.#mount = shadowMount(this, definition.styles);
      // Scroll events do not bubble, but a capturing listener on the root hears them all.
      this.shadowRoot!.addEventListener(
        'scroll',
        (event) => {
          const target = event.target;
          if (!(target instanceof Element) || !this.isConnected) return;
          this.#scrolled.set(target, { top: target.scrollTop, atEnd: target.scrollHeight - target.scrollTop - target.clientHeight <= 1 });
        },
        { capture: true, passive: true },
      );
    }

    connectedCallback() {
      this.#keepEarlyProperties();
      this.#render();
      // A list at its end may have grown since its last scroll event: the chat keeps itself at
      // its newest line, and the event of that scroll comes only with the next frame. Put back
      // at the offset it had, it would stand above the newest lines, as if the reader had left.
      for (const [element, place] of this.#scrolled) {
        if (element.isConnected) element.scrollTop = place.atEnd ? element.scrollHeight : place.top;
        else this.#scrolled.delete(element);
      }
    }

    /**
     * A page that moves the element (`other.append(element)`, a layout script on resize, a
     * framework re-parenting it) disconnects and connects it in one go: the tree stays, with
     * what the reader typed and their place in a list. Only an element still out of the
     * document once the page's script is done is taken down.
     */
    disconnectedCallback() {
      queueMicrotask(() => {
        if (this.isConnected) return;
        this.#stopWatching?.();
        this.#stopWatching = null;
        this.#session = null;
        this.#scrolled.clear();
        render(null, this.#mount);
      });
    }

    /** `parent.moveBefore(element, …)` moves it without disconnecting it: nothing to do. */
    connectedMoveCallback() {}

    attributeChangedCallback(_name: string, previous: string | null, next: string | null) {
      if (this.isConnected && previous !== next) this.#render();
    }

    /**
     * A page script may set `element.identity = token` before embed.js (async) defines the
     * element: that value lands on the instance and would hide the property's setter, so
     * it is taken off and set again through the attribute.
     */
    #keepEarlyProperties() {
      const own = this as unknown as Record<string, unknown>;
      for (const property of Object.keys(definition.attributes)) {
        if (!Object.hasOwn(own, property)) continue;
        const value = own[property];
        delete own[property];
        own[property] = value;
      }
    }

    #render() {
      const lang = pickLang(this.getAttribute(CommonAttributes.lang));
      const texts = widgetTexts(lang);
      const event = this.getAttribute(CommonAttributes.event)?.trim();
      if (!event) {
        render(h('p', { class: 'notice error', role: 'alert' }, texts.missingEvent), this.#mount);
        return;
      }
      const session = eventSession({ api: this.getAttribute(CommonAttributes.api) || defaultApi, event, lang });
      if (session !== this.#session && definition.realtime !== false) this.#watch(session);
      const props: WidgetProps<A> = {
        session,
        lang,
        texts,
        attributes: readAttributes(this, definition.attributes),
        emit: this.#emit,
        host: this,
      };
      render(h(definition.component as ComponentType<WidgetProps<A>>, props), this.#mount);
    }

    /** Offers to tell the page about the session's turning points; the session picks one element to do it. */
    #watch(session: EventSession) {
      this.#stopWatching?.();
      this.#session = session;
      this.#stopWatching = session.addAnnouncer((state) => {
        const lang = pickLang(this.getAttribute(CommonAttributes.lang));
        if (state.status === 'closed') {
          this.#announce(state, 'palco:closed', { message: state.closedMessage ?? widgetTexts(lang).closedTitle });
        } else if (state.status === 'live' && state.user) {
          this.#announce(state, 'palco:ready', { user: state.user });
        } else if (state.status === 'failed' && state.failure) {
          this.#announce(state, 'palco:error', { code: state.failure, message: errorText(state.failure, lang) });
        }
      }, this);
      void session.start();
    }

    /** Dispatches a session's turning point on this element; it bubbles from the first element only (see `announced`). */
    #announce<N extends PalcoEventName>(state: SessionState, name: N, detail: PalcoEventDetails[N]) {
      const bubbles = !announced.has(state);
      announced.add(state);
      this.dispatchEvent(new CustomEvent(name, { detail, bubbles, composed: true }));
    }
  }

  for (const [property, attribute] of Object.entries(definition.attributes)) {
    // `lang` and other global attributes already reflect through HTMLElement's own properties.
    if (property in HTMLElement.prototype) continue;
    Object.defineProperty(PalcoWidgetElement.prototype, property, {
      configurable: true,
      enumerable: true,
      get(this: HTMLElement) {
        return this.getAttribute(attribute);
      },
      set(this: HTMLElement, value: unknown) {
        if (value === null || value === undefined || value === false) this.removeAttribute(attribute);
        else this.setAttribute(attribute, value === true ? '' : String(value));
      },
    });
  }
  return PalcoWidgetElement;
}

/**
 * Defines each element unless the page already has one by that name (a script included
 * twice, or a newer copy loaded first): redefining would throw. A name the page took for an
 * element of its own stays the page's, with a warning in the console saying so.
 */
export function defineMissing(registry: CustomElementRegistry, definitions: Record<string, WidgetElementClass>): void {
  for (const [tag, element] of Object.entries(definitions)) {
    const existing = registry.get(tag);
    if (!existing) registry.define(tag, element);
    else if (!(palcoElement in existing)) console.warn(`Palco: this page already defines <${tag}> as an element of its own, so Palco's <${tag}> is not shown.`);
  }
}
