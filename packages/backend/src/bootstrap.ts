import { randomBytes } from 'node:crypto';
import { Role, SignInMethod } from '@palco/sdk/protocol';
import { hashSecret, verifySecret } from './auth/passwords.js';
import { ConfigError, type Config } from './config.js';
import { EventRow, UserRow } from './db/models.js';
import { newEmbedSecret } from './services/events.js';

export const demoEvent = {
  slug: 'demo-fast',
  title: 'Demo Producciones Fast',
  domain: 'produccionesfast.com',
  accessCode: 'produccionesfast2050',
} as const;

const defaultAdminEmail = 'admin@produccionesfast.com';

export interface BootstrapReport {
  /** Set when this start created the administrator; the password is shown once. */
  admin?: { email: string; password: string; generated: boolean };
  demoCreated: boolean;
}

/** First start: an administrator when there is none, and the demo event outside production. */
export async function bootstrap(config: Config): Promise<BootstrapReport> {
  const report: BootstrapReport = { demoCreated: false };
  if ((await UserRow.count({ where: { role: Role.admin } })) === 0) {
    const email = (config.adminEmail ?? defaultAdminEmail).toLowerCase();
    const generated = !config.adminPassword;
    const password = config.adminPassword ?? randomBytes(12).toString('base64url');
    await createAdmin(email, password);
    report.admin = { email, password, generated };
  }
  if (config.demo && !(await EventRow.findOne({ where: { slug: demoEvent.slug } }))) {
    await EventRow.create({
      slug: demoEvent.slug,
      title: demoEvent.title,
      logo_url: null,
      video_url: null,
      allowed_email_domains: demoEvent.domain,
      access_code_hash: await hashSecret(demoEvent.accessCode),
      // The README's demo works without any email: attendees sign in with the printed code.
      sign_in: SignInMethod.accessCode,
      embed_secret: newEmbedSecret(),
    });
    report.demoCreated = true;
  }
  return report;
}

/** Creates a global administrator, or sets the password of the existing one with that email. */
/**
 * A display name from an email's local part: `maria.lopez-garcia@acme.com` → "Maria Lopez
 * Garcia"; what follows a `+` is left out. Moderators and attendees see it beside the
 * administrator's answers and pins.
 */
export function nameFromEmail(email: string): string {
  const local = email.split('@')[0]!.split('+')[0]!;
  const words = local.split(/[._-]+/).filter(Boolean);
  const name = words.map((word) => word.charAt(0).toLocaleUpperCase() + word.slice(1)).join(' ');
  return name || email;
}

/**
 * Creates an administrator, named `name` or after the email (nameFromEmail); an existing
 * one gets the new password (every session of theirs ends) and, when given, the new name.
 */
export async function createAdmin(email: string, password: string, name?: string): Promise<UserRow> {
  const hash = await hashSecret(password);
  const existing = await UserRow.findOne({ where: { email: email.toLowerCase(), event_id: null } });
  if (existing) {
    if (name) existing.name = name;
    existing.password = hash;
    existing.role = Role.admin;
    existing.token_version += 1;
    await existing.save();
    return existing;
  }
  return UserRow.create({ name: name || nameFromEmail(email), email: email.toLowerCase(), phone: null, password: hash, role: Role.admin, event_id: null });
}

/** Production must not run an event anyone can enter with the access code printed in the README. */
export async function refusePublicDemoCode(config: Config) {
  if (!config.production) return;
  const demo = await EventRow.findOne({ where: { slug: demoEvent.slug } });
  if (demo && (await verifySecret(demoEvent.accessCode, demo.access_code_hash))) {
    throw new ConfigError(
      `the event ${demoEvent.slug} still has the public demo access code; change it with ` +
        `"palco set-access-code --slug ${demoEvent.slug} --code …" before running with NODE_ENV=production`,
    );
  }
}
