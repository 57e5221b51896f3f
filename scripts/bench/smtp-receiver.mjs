// The join-mail run's mail server, in its own process so that receiving never slows Palco
// or the load processes' clocks: a real `smtp-server` without TLS or authentication on a free
// port, that reads only the envelope (who the message is for) and drains the body unparsed,
// counting each message by recipient with its arrival time (wall clock, ms). Driven over IPC.
import { SMTPServer } from 'smtp-server';

/** Recipient → arrival times of the messages for them. */
const arrivals = new Map();
let received = 0;
let firstAt = 0;
let lastAt = 0;
let bytes = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  // Palco keeps a pool of connections open for many messages each.
  maxClients: 1000,
  size: 10 * 1024 * 1024,
  onData(stream, session, callback) {
    stream.on('data', (chunk) => (bytes += chunk.length));
    stream.on('end', () => {
      const at = Date.now();
      received += 1;
      firstAt ||= at;
      lastAt = at;
      for (const { address } of session.envelope.rcptTo) {
        const key = address.toLowerCase();
        const times = arrivals.get(key);
        if (times) times.push(at);
        else arrivals.set(key, [at]);
      }
      callback(null, 'Ok: queued');
    });
  },
});
server.on('error', (error) => console.error('smtp receiver:', error.message));

function report() {
  let duplicates = 0;
  for (const times of arrivals.values()) duplicates += times.length - 1;
  return { received, distinct: arrivals.size, duplicates, firstAt, lastAt, bytes };
}

server.listen(0, '127.0.0.1', () => process.send({ port: server.server.address().port }));

process.on('message', (command) => {
  if (command.cmd === 'report') process.send({ ok: true, result: report() });
  else if (command.cmd === 'exit') server.close(() => process.exit(0));
});
