import type { ChatMessage, Page } from '../protocol/models.js';

export type ChatPageFetcher = (after: number) => Promise<Page<ChatMessage>>;

/** Every chat message after `after`, oldest first, fetched page by page until none remain. */
export async function* missedChat(fetchPage: ChatPageFetcher, after: number): AsyncGenerator<ChatMessage> {
  let cursor = after;
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.items;
    const last = page.items.at(-1);
    if (!page.has_more || !last) return;
    cursor = last.id;
  }
}
