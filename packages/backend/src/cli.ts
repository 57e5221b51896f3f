import { parseArgs } from 'node:util';
import type { GenericSchema, InferOutput } from 'valibot';
import { EventCreateInput, EventPatchInput, fieldProblemText, SignInMethod, validate } from '@palco/sdk/protocol';
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

/** The option each field of the admin API's event schemas comes from here. */
const optionOf: Record<string, string> = { slug: '--slug', title: '--title', allowed_email_domains: '--domains', access_code: '--access-code' };

/**
 * The options checked by the admin API's own schema, so the command creates nothing the API
 * would refuse; each problem is named by its option, in English like every line here.
 */
function checkOptions<S extends GenericSchema>(command: string, schema: S, input: Record<string, unknown>, options = optionOf): InferOutput<S> {
  const checked = validate(schema, input);
  if (checked.ok) return checked.value;
  const problems = Object.entries(checked.fields).map(([path, problem]) => `  ${options[path.split('.')[0]!] ?? path}: ${fieldProblemText(problem, 'en')}`);
  throw new ConfigError([`${command} was not run:`, ...problems].join('\n'));
}

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
      if (values.slug === undefined || values.title === undefined) throw new ConfigError('create-event needs --slug and --title');
      const input = checkOptions('create-event', EventCreateInput, {
        slug: values.slug,
        title: values.title,
        allowed_email_domains: (values.domains ?? '').split(',').filter((domain) => domain.trim()),
        access_code: values['access-code'],
      });
      const db = await openDatabase(config.databaseUrl);
      await migrate(db);
      if (await EventRow.findOne({ where: { slug: input.slug } })) throw new ConfigError(`there is already an event ${input.slug}`);
      const event = await EventRow.create({
        slug: input.slug,
        title: input.title,
        logo_url: null,
        video_url: null,
        allowed_email_domains: joinList(input.allowed_email_domains ?? []),
        access_code_hash: input.access_code ? await hashSecret(input.access_code) : null,
        // The command has no other way to choose: an access code given is the way attendees sign in.
        sign_in: input.access_code ? SignInMethod.accessCode : SignInMethod.link,
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
      if (!values.slug || values.code === undefined) throw new ConfigError('set-access-code needs --slug and --code');
      checkOptions('set-access-code', EventPatchInput, { access_code: values.code }, { access_code: '--code' });
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
