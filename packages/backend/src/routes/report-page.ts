import Router from '@koa/router';
import { isModeratorRole } from '@palco/sdk/protocol';
import type { AppDeps } from '../context.js';
import type { ScriptRoute } from './scripts.js';
import { hostedPageRoute, staffPage } from './widgets.js';

const reportPage = staffPage({
  title: { es: 'Informe', en: 'Report' },
  admits: isModeratorRole,
  embeddable: false,
  // uPlot is for this page alone, so the report has its own script beside embed.js.
  script: '/reports.js',
  name: 'reports',
  element: 'palco-report',
});

/** GET /reports.js and the hosted report /e/{slug}/reports, for the event's moderators and administrators. */
export function reportPageRoutes(deps: AppDeps, script: ScriptRoute): Router {
  const router = new Router();
  router.get('/reports.js', script('reports.js'));
  router.get('/e/:slug/reports', hostedPageRoute(deps, reportPage));
  return router;
}
