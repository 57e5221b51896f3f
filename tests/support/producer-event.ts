import { afterAll, beforeAll } from 'vitest';
import { attendeeOf, connect, createEvent, type Member, type Reachable, type TestSocket } from '../realtime/support.js';
import { ensureWidgetsBuilt } from '../widgets/built-widgets.js';
import { startBrowser, startProducerSite, type ProducerSite, type TestBrowser } from './browser.js';

/** What `useProducerEvent` sets up: filled in before the suite's tests run. */
export interface ProducerEvent {
  producer: ProducerSite;
  browser: TestBrowser;
  event: Awaited<ReturnType<typeof createEvent>>;
  moderator: TestSocket;
  attendee: Member;
}

/**
 * Before the suite: the widgets built, a producer's site on its own origin, an event `slug` on
 * `server` that allows it, its moderator's socket, one attendee named `attendeeName` and a
 * browser; all closed after the suite.
 */
export function useProducerEvent(server: Reachable, slug: string, attendeeName: string): ProducerEvent {
  const suite = {} as ProducerEvent;
  beforeAll(async () => {
    ensureWidgetsBuilt();
    suite.producer = await startProducerSite();
    suite.event = await createEvent(server, slug, { allowed_origins: [suite.producer.origin] });
    suite.moderator = (await connect(server, { event: slug, token: suite.event.moderator.token })).socket;
    suite.attendee = await attendeeOf(server, slug, attendeeName);
    suite.browser = await startBrowser();
  }, 120_000);
  afterAll(async () => {
    suite.moderator?.close();
    await suite.browser?.close();
    suite.producer?.close();
  });
  return suite;
}
