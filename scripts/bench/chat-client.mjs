// npm run bench:chat-client [-- --rate 100 --seconds 60 --no-write]
//
// What a busy chat costs the attendee's browser. Starts Palco (production build, SQLite),
// opens a producer's page with one <palco-chat> in Chromium, and has two moderators (staff
// are exempt from the attendee chat limit) send `rate` messages a second for `seconds`.
// Chromium's own figures are read over the DevTools protocol: Performance.getMetrics
// (TaskDuration: main-thread busy time; Nodes; JSHeapUsedSize after a forced collection) and
// the Long Tasks API. A reader then scrolls back through the chat while it keeps flowing.
// Prints the figures and writes them to docs/performance.md between its markers.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { sleep } from './stats.mjs';

const { values: flags } = parseArgs({
  options: {
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '60' },
    'no-write': { type: 'boolean', default: false },
  },
});
const rate = Number(flags.rate);
const seconds = Number(flags.seconds);
/** Wheel notches (600 px, one every 100 ms) of the reader scrolling back. */
const scrollNotches = 100;
const root = new URL('../../', import.meta.url).pathname;
const slug = 'bench-chat';
const children = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

function startPalco(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'packages/backend/dist/cli.js'), 'serve'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`,
        PALCO_SECRET: randomBytes(32).toString('hex'),
        PALCO_DATA_DIR: dir,
        ADMIN_EMAIL: 'bench@palco.test',
        ADMIN_PASSWORD: 'bench-password-123',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1].replace('localhost', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`palco exited with ${code}: ${output}`)));
  });
}

async function call(baseUrl, path, body, token) {
  const response = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

let firstError = null;

/** A staff socket that sends a chat message every `intervalMs` for `seconds`; resolves with how many were acked. */
function sender(baseUrl, token, intervalMs, name) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/ws?event=${slug}&lang=es`, { perMessageDeflate: false });
    let acked = 0;
    let ref = 0;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token })));
    socket.on('error', reject);
    socket.on('message', (data) => {
      const text = data.toString();
      if (text.includes('"type":"welcome"')) {
        const started = performance.now();
        const timer = setInterval(() => {
          if (performance.now() - started >= seconds * 1000) {
            clearInterval(timer);
            setTimeout(() => {
              socket.close();
              resolve(acked);
            }, 1_000);
            return;
          }
          ref += 1;
          const message = `${name} #${ref}: un mensaje de prueba de longitud normal, como los de un webinar con mucha gente`;
          socket.send(JSON.stringify({ type: 'chat', ref, cid: `bench-${name}-${String(ref).padStart(6, "0")}`, message }));
        }, intervalMs);
      }
      acked += (text.match(/"type":"ack"/g) ?? []).length;
      if (text.includes('"type":"error"') && !firstError) firstError = text.slice(0, 300);
    });
  });
}

/** The producer's page: one <palco-chat>, signed in through the stored token as a returning visitor is. */
function startProducer(baseUrl) {
  const html = `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Acme</title>
<script src="${baseUrl}/embed.js" async></script></head>
<body><main><palco-chat event="${slug}" api="${baseUrl}" style="--palco-chat-height: 480px"></palco-chat></main></body></html>`;
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` })));
}

const metricsOf = async (cdp) => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));

/** Runs in the page: the chat's scrolled log inside its shadow root. */
const logScript = "document.querySelector('palco-chat').shadowRoot.querySelector('[role=\"log\"]')";

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'palco-bench-chat-'));
  let browser;
  let producer;
  try {
    const baseUrl = await startPalco(dir);
    producer = await startProducer(baseUrl);
    const admin = await call(baseUrl, '/api/auth/login', { email: 'bench@palco.test', password: 'bench-password-123' });
    await call(baseUrl, '/api/admin/events', { slug, title: 'Bench chat', access_code: 'bench-access-code', allowed_origins: [producer.origin] }, admin.token);
    const staffTokens = [];
    for (const n of [1, 2]) {
      const email = `mod${n}@bench.test`;
      await call(baseUrl, `/api/admin/events/${await eventIdOf(baseUrl, admin.token)}/staff`, { name: `Mod ${n}`, email, role: 'moderador', password: 'moderadora-2050' }, admin.token);
      staffTokens.push((await call(baseUrl, `/api/events/${slug}/login`, { email, password: 'moderadora-2050' })).token);
    }
    const attendee = await call(baseUrl, `/api/events/${slug}/register`, { name: 'Lectora', email: 'lectora@bench.test', phone: '+34 600 000 000' });

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const apiOrigin = new URL(baseUrl).origin;
    await page.addInitScript(
      ({ key, token }) => {
        localStorage.setItem(key, token);
        window.__longTasks = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) window.__longTasks.push({ at: entry.startTime, ms: entry.duration });
        }).observe({ type: 'longtask', buffered: true });
      },
      { key: `palco:${apiOrigin}:${slug}:token`, token: attendee.token },
    );
    await page.goto(producer.origin);
    await page.waitForFunction(`!!document.querySelector('palco-chat')?.shadowRoot?.querySelector('textarea')`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });

    const intervalMs = (2 * 1000) / rate;
    const sending = Promise.all(staffTokens.map((token, i) => sender(baseUrl, token, intervalMs, `mod${i + 1}`)));
    const started = performance.now();
    const loadAtStart = loadavg()[0];
    const samples = [];
    const sample = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const metrics = await metricsOf(cdp);
      const live = await page.evaluate(() => {
        let count = 0;
        const walk = (root) => {
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
          for (let node = walker.currentNode; node; node = walker.nextNode()) {
            count += 1;
            if (node.shadowRoot) walk(node.shadowRoot);
          }
        };
        walk(document);
        return count;
      });
      samples.push({ at: (performance.now() - started) / 1000, busy: metrics.TaskDuration, nodes: metrics.Nodes, live, heap: metrics.JSHeapUsedSize });
    };
    // Until the chat holds its 300 kept messages (3 s at 100/s) and the page has settled, nothing is measured.
    await sleep(10_000);
    await sample();
    const scrollAt = seconds * 0.6;
    while ((performance.now() - started) / 1000 < scrollAt) {
      await sleep(5_000);
      await sample();
    }
    const beforeScroll = samples.length;

    // A reader scrolls back through the chat while it keeps flowing: a wheel notch every 100 ms,
    // far past the 300 messages the session keeps, so the widget pages back with before=ID.
    const pagesAsked = [];
    page.on('request', (request) => {
      if (/\/chat\?.*before=/.test(request.url())) pagesAsked.push(request.url());
    });
    const box = await page.evaluate(`(() => { const r = ${logScript}.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; })()`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const scrollStartedAt = await page.evaluate(() => performance.now());
    for (let notch = 0; notch < scrollNotches; notch += 1) {
      await page.mouse.wheel(0, -600);
      await sleep(100);
    }
    const scrollEndedAt = await page.evaluate(() => performance.now());
    await sleep(500);
    // The line at the top of the reader's view and how far below the log's top edge it stands.
    const readingLine = `(() => {
      const log = ${logScript};
      const top = log.getBoundingClientRect().top;
      const line = [...log.querySelectorAll('li')].find((li) => li.getBoundingClientRect().bottom > top);
      return {
        id: line?.dataset.id ?? null,
        offset: line ? line.getBoundingClientRect().top - top : null,
        lines: log.querySelectorAll('li').length,
        oldest: Number(log.querySelector('li')?.dataset.id ?? 0),
        bottomGap: log.scrollHeight - log.scrollTop - log.clientHeight,
      };
    })()`;
    const reading = await page.evaluate(readingLine);
    const newestId = await page.evaluate(async (url) => {
      const token = localStorage.getItem(Object.keys(localStorage).find((key) => key.endsWith(':token')));
      const answer = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      return (await answer.json()).items[0]?.id ?? 0;
    }, `${baseUrl}/api/events/${slug}/chat?before=999999999&limit=1`);
    await sleep(3_000);
    const after = await page.evaluate(readingLine);

    while ((performance.now() - started) / 1000 < seconds) {
      await sleep(5_000);
      await sample();
    }
    if (process.env.CHAT_SNAPSHOT) {
      const chunks = [];
      cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
      await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      (await import('node:fs')).writeFileSync(process.env.CHAT_SNAPSHOT, chunks.join(''));
    }
    const acked = (await sending).reduce((sum, count) => sum + count, 0);
    const longTasks = await page.evaluate(() => window.__longTasks);

    const first = samples[0];
    const last = samples.at(-1);
    const busyPercent = ((last.busy - first.busy) / (last.at - first.at)) * 100;
    const scrollTasks = longTasks.filter((task) => task.at >= scrollStartedAt && task.at <= scrollEndedAt);
    const figures = {
      rate,
      seconds,
      acked,
      loadAverage: loadavg()[0],
      loadAtStart,
      busyPercent,
      nodes: { first: first.nodes, last: last.nodes, max: Math.max(...samples.map((s) => s.nodes)) },
      // At the newest line, as the chat flows: the list holds the session's 300 lines.
      receiving: {
        first: first.nodes,
        last: samples[beforeScroll - 1].nodes,
        max: Math.max(...samples.slice(0, beforeScroll).map((s) => s.nodes)),
        seconds: samples[beforeScroll - 1].at - first.at,
      },
      // After paging back: what Chromium keeps alive beyond the nodes the page shows (detached ones).
      detachedAfterPaging: Math.max(...samples.slice(beforeScroll).map((s) => s.nodes - s.live)),
      shownAfterPaging: last.live,
      heapMiB: { first: first.heap / 2 ** 20, last: last.heap / 2 ** 20, max: Math.max(...samples.map((s) => s.heap)) / 2 ** 20 },
      heapGrowthPercent: ((last.heap - first.heap) / first.heap) * 100,
      samples: samples.map((s) => `${s.at.toFixed(0)}s ${s.nodes} nodes (${s.live} in the document) ${(s.heap / 2 ** 20).toFixed(1)} MiB`),
      longTasks: { count: longTasks.length, maxMs: Math.max(0, ...longTasks.map((task) => task.ms)) },
      scroll: {
        longTasks: scrollTasks.length,
        maxMs: Math.max(0, ...scrollTasks.map((task) => task.ms)),
        notches: scrollNotches,
        pagesLoaded: pagesAsked.length,
        behindNewest: newestId - reading.oldest,
        linesHeld: reading.lines,
        bottomGapWhileReading: reading.bottomGap,
        lineMovedPx: after.id === reading.id ? Math.abs(after.offset - reading.offset) : null,
        lineStillShown: after.id === reading.id,
      },
    };
    console.log(JSON.stringify(figures, null, 2));
    if (firstError) console.error(`a sender was refused: ${firstError}`);
    if (!flags['no-write']) writeFigures(figures);
  } finally {
    await browser?.close();
    producer?.server.close();
    children.forEach((child) => child.kill('SIGTERM'));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function eventIdOf(baseUrl, token) {
  const events = await (await fetch(`${baseUrl}/api/admin/events`, { headers: { authorization: `Bearer ${token}` } })).json();
  return events.find((event) => event.slug === slug).id;
}

const begin = '<!-- chat-client:begin -->';
const end = '<!-- chat-client:end -->';

function writeFigures(f) {
  const file = join(root, 'docs/performance.md');
  const mark = (ok) => (ok ? 'within' : '**over**');
  const section = `${begin}
## What a busy chat costs the attendee's browser

\`npm run bench:chat-client\` (scripts/bench/chat-client.mjs), measured ${new Date().toISOString().slice(0, 16)} UTC on this
machine (2 cores shared with the server and the senders; headless Chromium, 1280×800): one
\`<palco-chat>\` on a producer's page offered ${f.rate} messages a second for ${f.seconds} s by two
moderators; ${f.acked} were acked (${(f.acked / f.seconds).toFixed(0)} a second; the senders' timers slip when the
machine is busy), load average ${f.loadAtStart.toFixed(1)} at the start and ${f.loadAverage.toFixed(1)} at the end. Chromium's own figures (DevTools Performance.getMetrics after a
forced garbage collection, every 5 s; the Long Tasks API), from 10 s in (the chat then holds its
300 kept messages) to the end; a reader scrolls back at ${Math.round(0.6 * f.seconds)} s:

| figure | measured | budget |
|---|---|---|
| main thread busy (TaskDuration) | ${f.busyPercent.toFixed(1)} % | ≤ 25 %, ${mark(f.busyPercent <= 25)} |
| DOM nodes as the chat flows, the reader at the newest line (first → last over ${f.receiving.seconds.toFixed(0)} s, max) | ${f.receiving.first} → ${f.receiving.last}, ${f.receiving.max} | flat, ${mark(f.receiving.max <= f.receiving.first * 1.1)} |
| DOM nodes after the reader paged back (400 lines held): alive, of which not in the page (detached) | ${f.nodes.last}, ${f.detachedAfterPaging} | none kept alive detached (under 200), ${mark(f.detachedAfterPaging < 200)} |
| JS heap used (first → last, max) | ${f.heapMiB.first.toFixed(1)} → ${f.heapMiB.last.toFixed(1)} MiB, ${f.heapMiB.max.toFixed(1)} MiB (${f.heapGrowthPercent >= 0 ? '+' : ''}${f.heapGrowthPercent.toFixed(1)} %) | within 10 %, ${mark(Math.abs(f.heapGrowthPercent) <= 10)} |
| long tasks, whole run | ${f.longTasks.count}, longest ${f.longTasks.maxMs.toFixed(0)} ms | |
| long tasks while scrolling back (${f.scroll.notches} wheel notches of 600 px, one every 100 ms) | ${f.scroll.longTasks}, longest ${f.scroll.maxMs.toFixed(0)} ms | none over 50 ms, ${mark(f.scroll.maxMs <= 50)} |
| older pages loaded while scrolling back (before=ID, 50 a page) | ${f.scroll.pagesLoaded}, the oldest line held ${f.scroll.behindNewest} messages behind the newest (the widget keeps 300); ${f.scroll.linesHeld} lines held | at most 400 lines, ${mark(f.scroll.linesHeld <= 400)} |
| the line the reader reads, 3 s of new messages later | ${f.scroll.lineStillShown ? `still there, moved ${f.scroll.lineMovedPx.toFixed(0)} px` : '**gone**'} (${f.scroll.bottomGapWhileReading.toFixed(0)} px above the bottom) | not moved, ${mark(f.scroll.lineStillShown && f.scroll.lineMovedPx < 1)} |

${f.loadAverage > 4 ? `With a load average of ${f.loadAverage.toFixed(1)} on 2 cores, every task waits for a core: busy
time, long tasks and how many messages arrived count the machine's contention as much as the
widget's own work, so compare runs made at a similar load.
` : ''}
Scrolling back starts at the newest message and goes past the 300 the widget keeps in memory:
each time the reader nears the top, \`<palco-chat>\` asks \`GET /api/events/{slug}/chat?before=ID&limit=50\`
and keeps the reader's line where it was; past 400 lines the newer end is dropped (and asked again
with \`after=ID\` if the reader scrolls back down).
${end}`;
  const text = readFileSync(file, 'utf8');
  const next = text.includes(begin) ? text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), section) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}

await main();
