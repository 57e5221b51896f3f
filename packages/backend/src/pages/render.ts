import { h, type ComponentType } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Lang } from '@palco/sdk/protocol';

/** A whole HTML document from a page component; Preact escapes every text and attribute. */
export function renderDocument<P extends object>(page: ComponentType<P>, props: P): string {
  return `<!doctype html>${renderToString(h(page as ComponentType<object>, props))}`;
}

/** The same path and query, with `lang` set: links keep the reader's language. */
export function withLang(href: string, lang: Lang): string {
  const url = new URL(href, 'http://palco.invalid');
  url.searchParams.set('lang', lang);
  return url.pathname + url.search;
}

export function otherLang(lang: Lang): Lang {
  return lang === 'es' ? 'en' : 'es';
}
