// The mail worker thread (built as dist/mail-worker.js): renders each message and hands it to
// the transport, away from the event loop that serves attendees. See ./mailer.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { composeMail } from './compose.js';
import type { MailerRequest, MailerReply, MailerSetup } from './mailer.js';
import { createMailTransport } from './transport.js';

const port = parentPort!;
const { settings, dataDir } = workerData as MailerSetup;
const transport = createMailTransport(settings, dataDir);

port.on('message', async (request: MailerRequest) => {
  if (request.type === 'close') {
    transport.close();
    // Nothing else keeps this thread: it exits once the transport's sockets are gone.
    port.close();
    return;
  }
  let reply: MailerReply;
  try {
    const sent = await transport.send(composeMail(request.context), request.name);
    reply = { id: request.id, sent };
  } catch (error) {
    const { message, code, response, responseCode } = error as { message?: string; code?: string; response?: string; responseCode?: number };
    reply = { id: request.id, error: { message: message ?? String(error), code, response, responseCode } };
  }
  port.postMessage(reply);
});
