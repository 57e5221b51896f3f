import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startBrowser, startProducerSite, keepWidgetToken, type ProducerSite, type TestBrowser } from '../support/browser.js';
import { databaseTargets, type TestServer } from '../support/server.js';
import { attendeeOf, connect, createEvent, startRealtimeServer, type Member, type TestSocket } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';

/** What a chat browser suite works with, once its beforeAll ran. */
export interface LongChat {
  server: TestServer;
  producer: ProducerSite;
  browser: TestBrowser;
  event: Awaited<ReturnType<typeof createEvent>>;
  /** Wrote every line of the history; the producer's page is signed in as them. */
  attendee: Member;
  /** The event's moderator, on a socket: staff may chat past the attendee limit. */
  moderator: TestSocket;
  /**
   * Opens the producer's page (`body` is what stands beside the embed script; one
   * `<palco-chat>` for the event by default), signed in as the attendee, and waits for the
   * newest line of the history.
   */
  open(body?: string): Promise<{ page: Page; chat: Locator; log: Locator }>;
}

/**
 * A live event whose chat already holds `messages` lines ("Mensaje número 1" … N, oldest
 * first, one a second), an attendee who wrote them, its moderator's socket, a producer's site
 * of another origin allowed to embed it, and Chromium: the setup of the chat's browser suites.
 */
export function useLongChat(slug: string, { messages, author }: { messages: number; author: string }): LongChat {
  const chat = {} as LongChat;
  beforeAll(async () => {
    ensureWidgetsBuilt();
    chat.server = await startRealtimeServer(databaseTargets[0]!);
    chat.producer = await startProducerSite();
    chat.event = await createEvent(chat.server, slug, { allowed_origins: [chat.producer.origin] });
    chat.attendee = await attendeeOf(chat.server, slug, author);
    const rows = Array.from({ length: messages }, (_, index) => ({
      user_id: chat.attendee.user.id,
      user_name: author,
      message: `Mensaje número ${index + 1}`,
      event_id: chat.event.id,
      created_at: new Date(Date.now() - (messages + 100 - index) * 1000),
    }));
    await chat.server.deps.db.sequelize.getQueryInterface().bulkInsert('chat_messages', rows);
    chat.moderator = (await connect(chat.server, { event: slug, token: chat.event.moderator.token })).socket;
    chat.browser = await startBrowser();
  }, 120_000);

  afterAll(async () => {
    chat.moderator?.close();
    await chat.browser?.close();
    chat.producer?.close();
    await chat.server?.stop();
  });

  chat.open = async (body = `<palco-chat event="${slug}"></palco-chat>`) => {
    chat.producer.setHtml(
      `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Acme</title></head><body><script src="${chat.server.url}/embed.js"></script>${body}</body></html>`,
    );
    const page = await chat.browser.newPage();
    page.setDefaultTimeout(10_000);
    await keepWidgetToken(page, chat.server.url, slug, chat.attendee.token);
    await page.goto(chat.producer.origin);
    const widget = page.locator('palco-chat');
    const log = widget.locator('[role="log"]');
    await log.getByText(`Mensaje número ${messages}`, { exact: true }).waitFor();
    return { page, chat: widget, log };
  };
  return chat;
}
