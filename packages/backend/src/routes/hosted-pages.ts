import Router from '@koa/router';
import type { Context } from 'koa';
import type { AppDeps } from '../context.js';
import { faviconIco, faviconIcoPath, faviconSvg, faviconSvgPath } from '../pages/favicon.js';
import { withLang } from '../pages/render.js';
import { scheduleScriptPath } from '../pages/schedule.js';
import { stylesheetPath } from '../pages/styles.js';
import { adminBasePath, adminShell } from './hosted-pages/admin-shell.js';
import { hostedPageRoute, modPage, reportPage, speakerPage, watchPage } from './hosted-pages/event-shells.js';
import { formPages } from './hosted-pages/forms.js';

function sendIcon(ctx: Context, type: string, body: string | Buffer) {
  ctx.type = type;
  ctx.set('Cache-Control', 'public, max-age=86400');
  ctx.body = body;
}

/**
 * Every page Palco serves as HTML, in one table: the landing page, each event's registration
 * sign-in and sign-out forms (no JavaScript), the event shells that load the widgets (watch, moderation,
 * speaker, report) and the administrators' app. Their scripts are routes/scripts.ts.
 */
export function hostedPageRoutes(deps: AppDeps): Router {
  const router = new Router();
  const forms = formPages(deps);
  router.get('/', forms.landing);
  router.get(stylesheetPath, forms.stylesheet);
  router.get(scheduleScriptPath, forms.scheduleScript);
  router.get(faviconSvgPath, (ctx) => sendIcon(ctx, 'image/svg+xml', faviconSvg));
  router.get(faviconIcoPath, (ctx) => sendIcon(ctx, 'image/x-icon', faviconIco));
  router.get('/e/:slug', forms.registerForm);
  router.post('/e/:slug', forms.register);
  router.get('/e/:slug/login', forms.loginForm);
  router.post('/e/:slug/login', forms.login);
  router.get('/e/:slug/logout', forms.logoutForm);
  router.post('/e/:slug/logout', forms.logout);

  router.get('/e/:slug/watch', hostedPageRoute(deps, watchPage));
  router.get('/e/:slug/mod', hostedPageRoute(deps, modPage));
  router.get('/e/:slug/speaker', hostedPageRoute(deps, speakerPage));
  router.get('/e/:slug/reports', hostedPageRoute(deps, reportPage));

  router.get('/admin', (ctx) => ctx.redirect(withLang(adminBasePath, ctx.state.lang)));
  router.get(adminBasePath, adminShell);
  router.get(`${adminBasePath}/{*view}`, adminShell);
  return router;
}
