import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import websockify, { type WebSocketApp } from 'koa-websocket';
import { Limits } from '@palco/sdk/protocol';
import type { AppDeps } from './context.js';
import { eventCors } from './cors.js';
import { csrfMiddleware } from './csrf.js';
import { errorMiddleware } from './errors.js';
import { languageMiddleware } from './http.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { hostedPageErrors } from './routes/hosted-pages/forms.js';
import { hostedPageRoutes } from './routes/hosted-pages.js';
import { calendarRoutes } from './routes/hosted-pages/calendar.js';
import { signInLinkRoutes } from './routes/hosted-pages/sign-in-links.js';
import { unsubscribeRoutes } from './routes/hosted-pages/unsubscribe.js';
import { mailRoutes } from './routes/mail.js';
import { historyRoutes } from './routes/history.js';
import { pollTemplateRoutes } from './routes/poll-templates.js';
import { pollRoutes } from './routes/polls.js';
import { metricsRoutes } from './routes/metrics.js';
import { moderationLogRoutes } from './routes/moderation-log.js';
import { participantRoutes } from './routes/participants.js';
import { reportRoutes } from './routes/reports.js';
import { scriptRoutes } from './routes/scripts.js';
import { webhookRoutes } from './routes/webhooks.js';
import { securityHeaders } from './security-headers.js';

export type PalcoApp = WebSocketApp;

/** The Koa app with every HTTP route; it does not listen (server.ts does, and wires the hub). */
export function createApp(deps: AppDeps): PalcoApp {
  const app = websockify(new Koa(), {
    perMessageDeflate: false,
    maxPayload: Limits.maxFrameBytes,
    // The frame budget counts messages; a message cut into thousands of empty fragments would
    // cost one. Browsers send a message of up to 16 KiB as one frame.
    maxFragments: Limits.maxMessageFragments,
    clientTracking: false,
    // One message of a socket per turn of the event loop, as browsers deliver them (WHATWG),
    // rather than every message of a read in one go: a read of thousands of tiny frames then
    // cannot keep every other socket and request waiting until it is all handled.
    allowSynchronousEvents: false,
  });
  app.proxy = deps.config.trustProxy;
  // The proxy appends the address it saw; anything left of it is whatever the client sent.
  app.maxIpsCount = 1;
  app.silent = true;

  app.use(securityHeaders);
  app.use(languageMiddleware);
  app.use(errorMiddleware(deps.logger));
  app.use(eventCors(deps));
  // Before the CSRF check, so a form refused as cross-site is answered as a page.
  app.use(hostedPageErrors);
  app.use(csrfMiddleware);
  app.use(
    bodyParser({
      enableTypes: ['json', 'form'],
      jsonLimit: Limits.maxBodyBytes,
      formLimit: Limits.maxBodyBytes,
      jsonStrict: true,
    }),
  );
  for (const router of [
    healthRoutes(deps),
    eventRoutes(deps),
    authRoutes(deps),
    historyRoutes(deps),
    pollRoutes(deps),
    pollTemplateRoutes(deps),
    reportRoutes(deps),
    moderationLogRoutes(deps),
    adminRoutes(deps),
    participantRoutes(deps),
    webhookRoutes(deps),
    hostedPageRoutes(deps),
    calendarRoutes(deps),
    signInLinkRoutes(deps),
    unsubscribeRoutes(deps),
    mailRoutes(deps),
    scriptRoutes(deps),
    metricsRoutes(deps),
  ]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
