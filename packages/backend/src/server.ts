import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type PalcoApp } from './app.js';
import { bootstrap, refusePublicDemoCode, type BootstrapReport } from './bootstrap.js';
import type { Config } from './config.js';
import type { AppDeps } from './context.js';
import { migrate } from './db/migrate.js';
import { SocketHub } from './realtime/hub.js';
import { createDeps } from './services.js';

export interface RunningServer {
  url: string;
  port: number;
  deps: AppDeps;
  app: PalcoApp;
  hub: SocketHub;
  http: Server;
  bootstrapReport: BootstrapReport;
  close(): Promise<void>;
}

/** Migrates, bootstraps, and listens: HTTP and the socket hub on one port. */
export async function startServer(config: Config): Promise<RunningServer> {
  const deps = await createDeps(config);
  await migrate(deps.db, { log: (message) => deps.logger.info(message) });
  const bootstrapReport = await bootstrap(config);
  await refusePublicDemoCode(config);
  deps.webhooks.start();
  deps.metrics.start();
  const app = createApp(deps);
  const hub = new SocketHub(deps, config.realtime);
  app.ws.use(hub.middleware());
  const http = await new Promise<Server>((resolve, reject) => {
    const server = app.listen(config.port, config.host, () => resolve(server));
    server.once('error', reject);
  });
  const { port } = http.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  let closed = false;
  return {
    url: `http://${host}:${port}`,
    port,
    deps,
    app,
    hub,
    http,
    bootstrapReport,
    async close() {
      if (closed) return;
      closed = true;
      await hub.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      deps.metrics.close();
      await deps.presence.close();
      await deps.bus.close();
      await deps.webhooks.close();
      await deps.db.close();
    },
  };
}
