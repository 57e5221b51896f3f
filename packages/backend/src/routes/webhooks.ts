import Router from '@koa/router';
import type { Context } from 'koa';
import { Op } from 'sequelize';
import {
  ErrorCode,
  Limits,
  Role,
  WebhookCreateInput,
  WebhookDeliveriesQuery,
  WebhookPatchInput,
  type Page,
  type WebhookDelivery,
} from '@palco/sdk/protocol';
import { requireRole, requireSession } from '../auth/session.js';
import type { AppDeps } from '../context.js';
import { WebhookDeliveryRow, WebhookRow } from '../db/models.js';
import { AppError } from '../errors.js';
import { parseBody, parseQuery } from '../http.js';
import { joinList } from '../services/serialize.js';
import { newWebhookSecret, toWebhook, toWebhookDelivery } from '../webhooks/serialize.js';
import { idParam } from './admin.js';

const defaultPageSize = 50;

/** An event's webhooks and their deliveries, for administrators. */
export function webhookRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/events/:id/webhooks' });

  router.use(async (ctx, next) => {
    const session = await requireSession(ctx, deps.tokens);
    requireRole(session, [Role.admin]);
    await next();
  });

  /** Every process emits to the event's webhooks as they are now. */
  const announceChange = (webhook: WebhookRow) => deps.bus.publish({ kind: 'event_changed', eventId: webhook.event_id });

  const findWebhook = async (ctx: Context) => {
    const event = await deps.events.byIdOr404(idParam(ctx, 'id'));
    const webhook = await WebhookRow.findOne({ where: { id: idParam(ctx, 'webhookId'), event_id: event.id } });
    if (!webhook) throw new AppError(404, ErrorCode.notFound);
    return webhook;
  };

  router.get('/', async (ctx) => {
    const event = await deps.events.byIdOr404(idParam(ctx, 'id'));
    const webhooks = await WebhookRow.findAll({ where: { event_id: event.id }, order: [['id', 'ASC']] });
    ctx.body = webhooks.map(toWebhook);
  });

  /** The URL's host must be public, as it resolves now; every send checks it again. */
  const refusePrivateTarget = async (url: string) => {
    if (!(await deps.webhooks.targets.allows(url))) throw new AppError(422, ErrorCode.webhookUrlNotAllowed);
  };

  router.post('/', async (ctx) => {
    const event = await deps.events.byIdOr404(idParam(ctx, 'id'));
    const input = parseBody(ctx, WebhookCreateInput);
    if ((await WebhookRow.count({ where: { event_id: event.id } })) >= Limits.webhooksPerEvent) {
      throw new AppError(409, ErrorCode.tooManyWebhooks);
    }
    await refusePrivateTarget(input.url);
    const webhook = await WebhookRow.create({
      event_id: event.id,
      url: input.url,
      topics: joinList(input.topics),
      secret: newWebhookSecret(),
      active: input.active ?? true,
    });
    await announceChange(webhook);
    ctx.status = 201;
    ctx.body = toWebhook(webhook);
  });

  router.patch('/:webhookId', async (ctx) => {
    const webhook = await findWebhook(ctx);
    const input = parseBody(ctx, WebhookPatchInput);
    if (input.url !== undefined) {
      await refusePrivateTarget(input.url);
      webhook.url = input.url;
    }
    if (input.topics !== undefined) webhook.topics = joinList(input.topics);
    if (input.active !== undefined) webhook.active = input.active;
    if (input.rotate_secret) webhook.secret = newWebhookSecret();
    await webhook.save();
    await announceChange(webhook);
    ctx.body = toWebhook(webhook);
  });

  router.delete('/:webhookId', async (ctx) => {
    const webhook = await findWebhook(ctx);
    await WebhookDeliveryRow.destroy({ where: { webhook_id: webhook.id } });
    await webhook.destroy();
    await announceChange(webhook);
    ctx.status = 204;
  });

  router.get('/:webhookId/deliveries', async (ctx) => {
    const webhook = await findWebhook(ctx);
    const { before, limit = defaultPageSize } = parseQuery(ctx, WebhookDeliveriesQuery);
    const rows = await WebhookDeliveryRow.findAll({
      where: { webhook_id: webhook.id, ...(before === undefined ? {} : { id: { [Op.lt]: before } }) },
      order: [['id', 'DESC']],
      limit: limit + 1,
    });
    const page: Page<WebhookDelivery> = { items: rows.slice(0, limit).map(toWebhookDelivery), has_more: rows.length > limit };
    ctx.body = page;
  });

  router.post('/:webhookId/deliveries/:deliveryId/redeliver', async (ctx) => {
    const webhook = await findWebhook(ctx);
    const where = { id: idParam(ctx, 'deliveryId'), webhook_id: webhook.id };
    if ((await WebhookDeliveryRow.count({ where })) === 0) throw new AppError(404, ErrorCode.notFound);
    // A delivery being sent right now is left to finish; the answer shows it as it stands.
    await deps.webhooks.redeliver(where.id);
    const delivery = await WebhookDeliveryRow.findOne({ where });
    if (!delivery) throw new AppError(404, ErrorCode.notFound);
    ctx.status = 202;
    ctx.body = toWebhookDelivery(delivery);
  });

  return router;
}
