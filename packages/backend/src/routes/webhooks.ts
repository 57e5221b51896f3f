import Router from '@koa/router';
import type { Context } from 'koa';
import { Op } from 'sequelize';
import {
  AuditAction,
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
import { changedFields } from '../services/audit.js';
import { auditAction, idParam } from './admin.js';

/** A webhook as the audit log compares it: the secret only as changed or not. */
const webhookSettings = (webhook: WebhookRow) => ({ url: webhook.url, topics: webhook.topics, active: Boolean(webhook.active), secret: webhook.secret });

const defaultPageSize = 50;

/** An event's webhooks and their deliveries, for administrators. */
export function webhookRoutes(deps: AppDeps): Router {
  const router = new Router({ prefix: '/api/admin/events/:id/webhooks' });

  router.use(async (ctx, next) => {
    const session = await requireSession(ctx, deps.tokens);
    requireRole(session, [Role.admin]);
    ctx.state.session = session;
    await next();
  });

  const audit = (ctx: Context, action: AuditAction, webhook: WebhookRow, changes: Record<string, unknown>) =>
    auditAction(ctx, deps, { action, eventId: webhook.event_id, targetType: 'webhook', targetId: webhook.id, changes });

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

  const tooMany = () => new AppError(409, ErrorCode.tooManyWebhooks);

  /** Deletes a webhook with its deliveries, and tells every process that emits to it. */
  const remove = async (webhook: WebhookRow) => {
    await WebhookDeliveryRow.destroy({ where: { webhook_id: webhook.id } });
    await webhook.destroy();
    await announceChange(webhook);
  };

  /**
   * Whether a webhook just stored is among the event's first `webhooksPerEvent` by id. Requests
   * that add webhooks at the same moment all pass a count made before their insert (60 at once
   * stored 36); ranking after the insert keeps exactly the earliest ones, whichever finishes first.
   */
  const withinCap = async (webhook: WebhookRow): Promise<boolean> => {
    const kept = await WebhookRow.findAll({
      attributes: ['id'],
      where: { event_id: webhook.event_id },
      order: [['id', 'ASC']],
      limit: Limits.webhooksPerEvent,
      raw: true,
    });
    return kept.some((row) => row.id === webhook.id);
  };

  router.post('/', async (ctx) => {
    const event = await deps.events.byIdOr404(idParam(ctx, 'id'));
    const input = parseBody(ctx, WebhookCreateInput);
    if ((await WebhookRow.count({ where: { event_id: event.id } })) >= Limits.webhooksPerEvent) throw tooMany();
    await refusePrivateTarget(input.url);
    const webhook = await WebhookRow.create({
      event_id: event.id,
      url: input.url,
      topics: joinList(input.topics),
      secret: newWebhookSecret(),
      active: input.active ?? true,
    });
    if (!(await withinCap(webhook))) {
      // A process that read the event's webhooks meanwhile may have queued a delivery to it.
      await remove(webhook);
      throw tooMany();
    }
    await announceChange(webhook);
    await audit(ctx, AuditAction.webhookAdded, webhook, changedFields(null, webhookSettings(webhook), ['secret']));
    ctx.status = 201;
    ctx.body = toWebhook(webhook);
  });

  router.patch('/:webhookId', async (ctx) => {
    const webhook = await findWebhook(ctx);
    const input = parseBody(ctx, WebhookPatchInput);
    const before = webhookSettings(webhook);
    if (input.url !== undefined) {
      await refusePrivateTarget(input.url);
      webhook.url = input.url;
    }
    if (input.topics !== undefined) webhook.topics = joinList(input.topics);
    if (input.active !== undefined) webhook.active = input.active;
    if (input.rotate_secret) webhook.secret = newWebhookSecret();
    await webhook.save();
    await announceChange(webhook);
    const changes = changedFields(before, webhookSettings(webhook), ['secret']);
    if (Object.keys(changes).length > 0) await audit(ctx, AuditAction.webhookChanged, webhook, changes);
    ctx.body = toWebhook(webhook);
  });

  router.delete('/:webhookId', async (ctx) => {
    const webhook = await findWebhook(ctx);
    await WebhookDeliveryRow.destroy({ where: { webhook_id: webhook.id } });
    await webhook.destroy();
    await announceChange(webhook);
    await audit(ctx, AuditAction.webhookRemoved, webhook, changedFields(webhookSettings(webhook), null, ['secret']));
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
    await audit(ctx, AuditAction.webhookRedelivered, webhook, { delivery_id: delivery.id });
    ctx.status = 202;
    ctx.body = toWebhookDelivery(delivery);
  });

  return router;
}
