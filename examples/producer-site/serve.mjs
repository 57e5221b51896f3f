// Serves index.html as a producer's own site would, with the Palco backend's address filled in:
// PALCO_URL if set, else http://localhost:$PORT, the same PORT the backend reads (3000 by default).
//   node examples/producer-site/serve.mjs            # this site on http://127.0.0.1:8080
//   PORT=4000 SITE_PORT=8081 node examples/producer-site/serve.mjs
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const palcoUrl = (process.env.PALCO_URL || `http://localhost:${process.env.PORT || 3000}`).replace(/\/+$/, '');
const sitePort = Number(process.env.SITE_PORT || 8080);
const page = readFileSync(new URL('./index.html', import.meta.url), 'utf8').replaceAll('%PALCO_URL%', palcoUrl);

createServer((request, response) => {
  if (request.url !== '/' && request.url !== '/index.html') return void response.writeHead(404).end();
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
}).listen(sitePort, '127.0.0.1', () => {
  const origin = `http://127.0.0.1:${sitePort}`;
  console.log(`The producer's site is on ${origin}, using Palco at ${palcoUrl}.`);
  console.log(`Add ${origin} to the event's allowed origins (admin pages: the event → Settings).`);
});
