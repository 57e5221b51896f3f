import Router from '@koa/router';
import { ErrorCode, type HealthReport, type ReadinessChecks, type ReadinessReport } from '@palco/sdk/protocol';
import type { AppDeps } from '../context.js';
import { AppError, databaseRetryAfterSeconds } from '../errors.js';

/** A database that takes longer than this to answer `SELECT 1` is not ready to serve. */
const databaseCheckMs = 2_000;

async function databaseAnswers(deps: AppDeps): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), databaseCheckMs)));
  const answer = deps.db.sequelize.query('SELECT 1').then(
    () => true,
    () => false,
  );
  const ready = await Promise.race([answer, late]);
  clearTimeout(timer);
  return ready;
}

async function readinessChecks(deps: AppDeps): Promise<ReadinessChecks> {
  const redis = deps.config.redisUrl ? (deps.bus.connected ? 'ok' : 'unavailable') : 'not_configured';
  return {
    server: deps.lifecycle.accepting ? 'ok' : 'stopping',
    database: (await databaseAnswers(deps)) ? 'ok' : 'unavailable',
    redis,
  };
}

/** Liveness and readiness for load balancers and orchestrators (docs/deployment.md). */
export function healthRoutes(deps: AppDeps): Router {
  const router = new Router();

  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' } satisfies HealthReport;
  });

  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const checks = await readinessChecks(deps);
    const ready = checks.server === 'ok' && checks.database === 'ok' && checks.redis !== 'unavailable';
    if (!ready) throw new AppError(503, ErrorCode.serviceUnavailable, { retry_after: databaseRetryAfterSeconds, checks });
    ctx.body = { status: 'ready', checks } satisfies ReadinessReport;
  });

  return router;
}
