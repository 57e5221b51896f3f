import { parseArgs } from 'node:util';
import { SignInMethod } from '@palco/sdk/protocol';
import { hashSecret } from './auth/passwords.js';
import { createAdmin } from './bootstrap.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { EventRow } from './db/models.js';
import { startServer } from './server.js';
import { startupBanner } from './startup-banner.js';
import { joinList } from './services/serialize.js';
import { newEmbedSecret } from './services/events.js';

/** Past this a stop signal ends the process whatever is still running (orchestrators wait ~30 s). */
const hardDeadlineMs = 30_000;

const usage = `palco <command> [options]

  serve                         migrate, then serve HTTP and WebSocket on PORT
  migrate [--legacy-access-code CODE]
                                create or adopt the database named by DATABASE_URL
  create-admin --email E --password P [--name N]
  create-event --slug S --title T [--access-code C] [--domains a.com,b.com]
                                attendees sign in with the access code if one is given,
                                else with a link mailed to them
  set-access-code --slug S --code C
                                change the access code attendees of an event sign in with
`;

const helpRequests = new Set(['help', '--help', '-h']);

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (!command || helpRequests.has(command)) {
    console.log(usage);
    return;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      'legacy-access-code': { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      slug: { type: 'string' },
      title: { type: 'string' },
      'access-code': { type: 'string' },
      code: { type: 'string' },
      domains: { type: 'string' },
    },
  });
  const config = loadConfig();
  switch (command) {
    case 'serve': {
      const server = await startServer(config);
      // Scripts and tests wait for its first line and read the URL from it (tests/support/processes.ts).
      console.log(startupBanner(server.url, server.bootstrapReport, config.demo));
      if (config.production && new URL(config.publicUrl).hostname === 'localhost') {
        console.warn('PALCO_PUBLIC_URL is not set: links in emails and calendar files point at localhost.');
      }
      const stop = (signal: NodeJS.Signals) => {
        const logger = server.deps.logger;
        logger.warn({ signal }, 'shutting down: finishing requests, closing sockets (1012), writing analytics');
        setTimeout(() => {
          logger.error({ seconds: hardDeadlineMs / 1000 }, 'shutdown did not finish in time: exiting by force');
          process.exit(1);
        }, hardDeadlineMs);
        server.shutdown().then(
          (clean) => {
            if (clean) logger.warn('shut down cleanly');
            else logger.error('shut down, but something was left undone (see above)');
            process.exit(clean ? 0 : 1);
          },
          (error: unknown) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return;
    }
    case 'migrate': {
      const db = await openDatabase(config.databaseUrl);
      const applied = await migrate(db, { legacyAccessCode: values['legacy-access-code'] ?? null, log: console.log });
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
      await db.close();
      return;
    }
    case 'create-admin': {
      if (!values.email || !values.password) throw new ConfigError('create-admin needs --email and --password');
      const db = await openDatabase(config.databaseUrl);
      await migrate(db);
      const admin = await createAdmin(values.email, values.password, values.name);
      console.log(`Administrator ${admin.email} is ready.`);
      await db.close();
      return;
    }
    case 'create-event': {
      if (!values.slug || !values.title) throw new ConfigError('create-event needs --slug and --title');
      const db = await openDatabase(config.databaseUrl);
      await migrate(db);
      const event = await EventRow.create({
        slug: values.slug,
        title: values.title,
        logo_url: null,
        video_url: null,
        allowed_email_domains: joinList((values.domains ?? '').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean)),
        access_code_hash: values['access-code'] ? await hashSecret(values['access-code']) : null,
        // The command has no other way to choose: an access code given is the way attendees sign in.
        sign_in: values['access-code'] ? SignInMethod.accessCode : SignInMethod.link,
        embed_secret: newEmbedSecret(),
      });
      // In the glossary's English, as every line of the command is (the stored role values are not words for people).
      const signIn = event.sign_in === SignInMethod.accessCode ? 'with its access code' : 'with a link mailed to them';
      console.log(
        `Event ${event.slug} created (id ${event.id}): attendees register at ${config.publicUrl}/e/${event.slug} and sign in ${signIn}. ` +
          `Add its moderators and speakers at ${config.publicUrl}/admin/events/${event.id}/staff.`,
      );
      await db.close();
      return;
    }
    case 'set-access-code': {
      if (!values.slug || !values.code) throw new ConfigError('set-access-code needs --slug and --code');
      const db = await openDatabase(config.databaseUrl);
      await migrate(db);
      const event = await EventRow.findOne({ where: { slug: values.slug } });
      if (!event) throw new ConfigError(`there is no event ${values.slug}`);
      event.access_code_hash = await hashSecret(values.code);
      event.updated_at = new Date();
      await event.save();
      console.log(`The access code of ${event.slug} is changed.`);
      await db.close();
      return;
    }
    default:
      console.error(`palco: there is no command ${command}\n\n${usage}`);
      process.exitCode = 1;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `palco: ${error.message}` : error);
  process.exit(1);
});
