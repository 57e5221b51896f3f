import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import { ErrorCode } from '@palco/sdk/protocol';
import type { AppDeps } from '../context.js';
import { AppError } from '../errors.js';
import { bearerToken } from '../http.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics for Prometheus. With PALCO_METRICS_TOKEN set it takes only that bearer
 * token; without one it answers in development and does not exist in production.
 */
export function metricsRoutes(deps: Pick<AppDeps, 'config' | 'metrics'>): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    const expected = deps.config.metricsToken;
    if (expected) {
      const given = bearerToken(ctx);
      // Digests have one length, so the comparison takes the same time whatever was sent.
      if (!given || !timingSafeEqual(digest(given), digest(expected))) throw new AppError(401, ErrorCode.notAuthenticated);
    } else if (deps.config.production) {
      throw new AppError(404, ErrorCode.notFound);
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = deps.metrics.contentType;
    ctx.body = await deps.metrics.render();
  });
  return router;
}
