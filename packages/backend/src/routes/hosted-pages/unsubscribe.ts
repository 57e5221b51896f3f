import Router from '@koa/router';
import type { Context } from 'koa';
import { ErrorCode, Role } from '@palco/sdk/protocol';
import type { AppDeps } from '../../context.js';
import { UserRow } from '../../db/models.js';
import { AppError } from '../../errors.js';
import { verifyUnsubscribe } from '../../mail/unsubscribe.js';
import { journeyTextsFor } from '../../pages/journey-texts.js';
import { MessagePage } from '../../pages/message-page.js';
import { OneButtonPage } from '../../pages/one-button-page.js';
import { toPublicEvent } from '../../services/serialize.js';
import { chrome, messagePageFor } from './forms.js';
import { sendFormPage } from './sign-in-links.js';

/**
 * The unsubscribe link of reminders and follow-ups. RFC 8058: a mail client POSTs
 * `List-Unsubscribe=One-Click` to the URL of the List-Unsubscribe header, with no cookie
 * and no confirmation step; a person who opens the URL gets a page with one button, since
 * scanners fetch links (GET changes nothing).
 */
export function unsubscribeRoutes(deps: AppDeps): Router {
  const router = new Router();

  const registration = async (ctx: Context) => {
    ctx.state.renderError = messagePageFor(ctx);
    const event = await deps.events.bySlugOr404(ctx.params.slug!);
    const userId = verifyUnsubscribe(deps.config.secret, ctx.query.u, ctx.query.s);
    const user = userId == null ? null : await UserRow.findOne({ where: { id: userId, event_id: event.id, role: Role.viewer } });
    if (!user) throw new AppError(400, ErrorCode.unsubscribeLinkInvalid);
    return { event, user };
  };

  router.get('/e/:slug/unsubscribe', async (ctx) => {
    const { event } = await registration(ctx);
    const texts = journeyTextsFor(ctx.state.lang);
    sendFormPage(ctx, OneButtonPage, {
      ...chrome(ctx),
      event: toPublicEvent(event, deps.now()),
      heading: texts.unsubscribeHeading,
      detail: texts.unsubscribeDetail(event.title),
      action: ctx.url,
      fields: { 'List-Unsubscribe': 'One-Click' },
      button: texts.unsubscribeButton,
    });
  });

  router.post('/e/:slug/unsubscribe', async (ctx) => {
    const { event, user } = await registration(ctx);
    if (user.unsubscribed_at == null) await user.update({ unsubscribed_at: new Date(deps.now()) });
    const texts = journeyTextsFor(ctx.state.lang);
    sendFormPage(ctx, MessagePage, { ...chrome(ctx), heading: texts.unsubscribedHeading, detail: texts.unsubscribedDetail(event.title) });
  });

  return router;
}
