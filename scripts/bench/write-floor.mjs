// node scripts/bench/write-floor.mjs [--sockets 3000] [--rounds 200]
//
// The floor under any fan-out on this machine: the CPU one process spends per TCP write of a
// 200-byte frame (about one chat message) to sockets held by another process over loopback,
// with nothing else done — no WebSocket framing, no JSON, no bookkeeping. A server that sends
// every message of a small room in a frame of its own spends at least this per delivery.
// Prints the median and spread over the rounds (process.cpuUsage around one write to every
// socket; 5 ms between rounds for the kernel to drain them).
import { fork } from 'node:child_process';
import net from 'node:net';
import { parseArgs } from 'node:util';

if (process.argv[2] === '--client') {
  // The other end: opens the sockets and reads everything.
  const [port, count] = process.argv.slice(3).map(Number);
  for (let i = 0; i < count; i += 1) {
    net.connect(port, '127.0.0.1').on('data', () => {});
    if (i % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 10));
  }
} else {
  const { values } = parseArgs({ options: { sockets: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '200' } } });
  const count = Number(values.sockets);
  const rounds = Number(values.rounds);
  const sockets = [];
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    sockets.push(socket);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = fork(new URL(import.meta.url), ['--client', String(server.address().port), String(count)]);
  while (sockets.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
  const frame = Buffer.alloc(200, 97);
  const perWrite = [];
  for (let round = 0; round < rounds; round += 1) {
    const before = process.cpuUsage();
    for (const socket of sockets) socket.write(frame);
    const used = process.cpuUsage(before);
    perWrite.push((used.user + used.system) / count);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  perWrite.sort((a, b) => a - b);
  const at = (share) => perWrite[Math.min(rounds - 1, Math.floor(rounds * share))].toFixed(1);
  console.log(`${count} sockets × ${rounds} rounds: server CPU per 200-byte write, median ${at(0.5)} µs (p10 ${at(0.1)}, p90 ${at(0.9)})`);
  client.kill();
  process.exit(0);
}
