// The join-mail run: the same join storm twice, once with mail off (PALCO_MAIL=off) and once
// with the event's `require_confirmation` on and SMTP_URL pointed at a local smtp-server, so
// that every registration queues a confirmation email while the storm goes on. Email never
// sits on the request path: the second storm should take at most 20 % longer than the
// first, and every confirmation should arrive within 60 s of the last registration, once.
import { adminToken, cpuMeter, fmt, markdownTable, ms, postJson, split, startPalco, worker } from './harness.mjs';
import { sleep, summarize } from './stats.mjs';

/** The goals of the issue: join wall time with mail over without, and the mail's lag. */
const goals = { ratio: 1.2, mailSeconds: 60 };
/** How long the run waits for the emails after the last registration before reporting what came. */
const mailWaitMs = 5 * 60_000;
/** After the last expected email, how long the run keeps listening for duplicates. */
const settleMs = 5_000;

async function storm(options, { env, requireConfirmation, receiver }) {
  const { viewers, loaders } = options;
  const palco = await startPalco({ ...options, env });
  try {
    const { baseUrls, pids } = palco;
    // Three days ahead: the confirmation carries the event's .ics, and no reminder is due.
    const startsAt = new Date(Date.now() + 3 * 24 * 3_600_000).toISOString();
    await postJson(
      `${baseUrls[0]}/api/admin/events`,
      {
        slug: 'bench',
        title: 'Bench',
        allowed_email_domains: ['bench.test'],
        access_code: 'bench-access-code',
        starts_at: startsAt,
        require_confirmation: requireConfirmation,
      },
      { token: await adminToken(baseUrls[0]), expected: 201, what: 'creating the event' },
    );
    const workers = Array.from({ length: loaders }, () => worker('palco-load.mjs'));
    const shares = split(viewers, loaders);
    const meter = cpuMeter([...pids, ...workers.map((w) => w.child.pid), ...(receiver ? [receiver.child.pid] : [])]);
    const startedAt = Date.now();
    const joinStarted = performance.now();
    const joins = await Promise.all(
      workers.map((w, i) =>
        w.call({ cmd: 'join', baseUrls, slug: 'bench', domain: 'bench.test', offset: shares.slice(0, i).reduce((a, b) => a + b, 0), count: shares[i], samples: 0 }),
      ),
    );
    const joinSeconds = (performance.now() - joinStarted) / 1000;
    const joinCpu = meter();
    const registered = joins.reduce((sum, j) => sum + j.registered, 0);
    const registerSeconds = Math.max(...joins.map((j) => j.registerSeconds));
    // Each load process starts its clock a little after `startedAt`: this is at or before the
    // last registration's answer, so the mail lag below is, if anything, overstated.
    const lastRegistrationAt = startedAt + registerSeconds * 1000;
    const result = {
      registered,
      connected: joins.reduce((sum, j) => sum + j.connected, 0),
      failures: joins.reduce((sum, j) => sum + j.failureCount, 0),
      firstFailures: joins.flatMap((j) => j.failures).slice(0, 3),
      seconds: joinSeconds,
      registerSeconds,
      registrationsPerSecond: registered / registerSeconds,
      connect: summarize(joins.flatMap((j) => j.connectMs)),
      serverCpuSeconds: joinCpu.each.slice(0, pids.length).reduce((a, b) => a + b, 0),
      serverCpuPercent: (joinCpu.each.slice(0, pids.length).reduce((a, b) => a + b, 0) / joinCpu.seconds) * 100,
      loadCpuPercent: (joinCpu.each.slice(pids.length).reduce((a, b) => a + b, 0) / joinCpu.seconds) * 100,
      othersCpuPercent: joinCpu.othersPercent,
    };
    if (receiver) {
      const mailMeter = cpuMeter(pids);
      let report = await receiver.call({ cmd: 'report' });
      while (report.distinct < registered && Date.now() - lastRegistrationAt < mailWaitMs) {
        await sleep(250);
        report = await receiver.call({ cmd: 'report' });
      }
      const complete = report.distinct >= registered;
      if (complete) await sleep(settleMs);
      const mailCpu = mailMeter();
      report = await receiver.call({ cmd: 'report' });
      result.mail = {
        ...report,
        complete,
        // From the last registration's answer to the last email of the storm (not a late duplicate).
        seconds: complete ? (report.lastAt - lastRegistrationAt) / 1000 : Infinity,
        serverCpuSeconds: mailCpu.each.reduce((a, b) => a + b, 0),
        serverCpuPercent: (mailCpu.each.reduce((a, b) => a + b, 0) / mailCpu.seconds) * 100,
      };
    }
    await Promise.all(workers.map((w) => w.exit()));
    return result;
  } finally {
    await palco.stop();
  }
}

/**
 * Runs the join-mail bench. `options`: viewers, loaders, db, processes, profile. Answers
 * `{name, body}` for docs/performance.md.
 */
export async function runJoinMail(options, { conditions }) {
  // `npm run bench -- …` hands its flags to the last script of the chain: this is the command that runs this alone.
  const command = `npm run build && node scripts/bench/run.mjs ${process.argv.slice(2).join(' ')}`;
  const { viewers, db, processes } = options;
  console.log('storm A: PALCO_MAIL=off');
  const off = await storm(options, { env: { PALCO_MAIL: 'off' }, requireConfirmation: false });
  console.log(`storm A: ${fmt(off.registered)} registered in ${fmt(off.seconds, 1)} s`);

  const receiver = worker('smtp-receiver.mjs');
  const { port } = await new Promise((resolve) => receiver.child.once('message', resolve));
  let on;
  try {
    console.log(`storm B: require_confirmation, SMTP_URL=smtp://127.0.0.1:${port}`);
    on = await storm(options, { env: { PALCO_MAIL: 'on', SMTP_URL: `smtp://127.0.0.1:${port}` }, requireConfirmation: true, receiver });
  } finally {
    await receiver.exit();
  }
  console.log(`storm B: ${fmt(on.registered)} registered in ${fmt(on.seconds, 1)} s; ${fmt(on.mail.received)} emails`);

  const ratio = on.seconds / off.seconds;
  const ratioMet = ratio <= goals.ratio;
  const mail = on.mail;
  const mailMet = mail.complete && mail.duplicates === 0 && mail.seconds <= goals.mailSeconds;
  const both = (pick) => [pick(off), pick(on)];
  const rows = [
    ['registered / connected / failures', ...both((r) => `${fmt(r.registered)} / ${fmt(r.connected)} / ${r.failures}`)],
    ['join wall time (register, then connect)', ...both((r) => `${fmt(r.seconds, 1)} s`)],
    ['registrations/s', ...both((r) => fmt(r.registrationsPerSecond))],
    ['connect p50 / p99', ...both((r) => `${ms(r.connect.p50)} / ${ms(r.connect.p99)}`)],
    ['server CPU during the storm', ...both((r) => `${fmt(r.serverCpuPercent)} %`)],
    ['load processes\' (and SMTP receiver\'s) CPU during the storm', ...both((r) => `${fmt(r.loadCpuPercent)} %`)],
    ['other processes\' CPU during the storm (not this bench)', ...both((r) => `${fmt(r.othersCpuPercent)} %`)],
    ['confirmation emails received / distinct recipients / duplicates', '—', `${fmt(mail.received)} / ${fmt(mail.distinct)} / ${fmt(mail.duplicates)}`],
    ['last registration to last email', '—', Number.isFinite(mail.seconds) ? `${fmt(mail.seconds, 1)} s` : `not all within ${mailWaitMs / 60_000} min`],
    ['emails/s, first to last email', '—', fmt(mail.received / Math.max(0.001, (mail.lastAt - mail.firstAt) / 1000))],
    // On a shared machine CPU time is steadier than wall time: what B's server spent beyond A's, per email.
    ['server CPU per email (B\'s storm and drain less A\'s storm)', '—', ms(((on.serverCpuSeconds + mail.serverCpuSeconds - off.serverCpuSeconds) * 1000) / Math.max(1, mail.received))],
    ['server CPU while the emails drained', '—', `${fmt(mail.serverCpuPercent)} %`],
  ];
  const table = markdownTable(['measure', 'A: mail off', 'B: require_confirmation + SMTP'], rows);
  const verdicts = [
    `Join wall time B/A = ${ratio.toFixed(2)} (goal ≤ ${goals.ratio}): ${ratioMet ? 'met' : 'not met'}.`,
    `All ${fmt(on.registered)} confirmations delivered once within ${goals.mailSeconds} s of the last registration: ${mailMet ? 'met' : 'not met'}${mail.complete ? ` (${fmt(mail.seconds, 1)} s, ${mail.duplicates} duplicates)` : ` (${fmt(mail.distinct)} arrived)`}.`,
  ].join('\n');
  console.log(`\n${table}\n\n${verdicts}`);
  for (const r of [off, on]) if (r.firstFailures.length) console.log('first failures:', r.firstFailures);
  const heading = [
    `\`${command}\` — ${new Date().toISOString().slice(0, 16)} UTC, ${viewers} attendees per storm, ${processes} process(es) on ${db}; the SMTP server (smtp-server, no TLS, envelope only) runs in its own process.`,
    `Machine: ${conditions}.`,
  ].join('\n');
  return { name: `join-mail:${db}:${processes}`, body: `${heading}\n\n${table}\n\n${verdicts}\n` };
}
