// koa-websocket's published types add a required `websocket` to every Koa context;
// these declare only what Palco uses, without touching HTTP contexts.
declare module 'koa-websocket' {
  import type { IncomingMessage } from 'node:http';
  import type Koa from 'koa';
  import type { ServerOptions, WebSocket, WebSocketServer } from 'ws';

  export interface WebSocketContext extends Koa.ParameterizedContext {
    websocket: WebSocket;
  }

  export type WebSocketMiddleware = (ctx: WebSocketContext, next: () => Promise<void>) => unknown;

  export interface WebSocketApp extends Koa {
    ws: {
      use(middleware: WebSocketMiddleware): WebSocketApp['ws'];
      server?: WebSocketServer;
      onConnection(socket: WebSocket, request: IncomingMessage): void;
    };
  }

  export default function websockify(app: Koa, wsOptions?: ServerOptions, httpsOptions?: object): WebSocketApp;
}
