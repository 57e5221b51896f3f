import jwt from 'jsonwebtoken';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StaffMember } from '@palco/sdk/protocol';
import { adminToken, createStaff, eventId } from '../support/accounts.js';
import { api, type JsonResponse } from '../support/http.js';
import { submitForm } from '../support/pages.js';
import { databaseTargets } from '../support/server.js';
import { useServer } from '../support/fixture.js';

const slug = 'demo-fast';
const accessCode = 'produccionesfast2050';

/**
 * Every path that vouches for an email without the person's own password (the producer's
 * identity token, registration, the event's access code) may only ever give an attendee.
 */
describe.each(databaseTargets)('an email alone never signs in staff on $name', (target) => {
  let embedSecret: string;
  let moderator: StaffMember;
  let speaker: StaffMember;
  const server = useServer(target);
  beforeAll(async () => {
    const admin = await adminToken(server.url);
    embedSecret = (await api(server.url, `/api/admin/events/${await eventId(server.url, slug)}`, { token: admin })).body.embed_secret;
    moderator = await createStaff(server.url, admin, slug, {
      name: 'Rita', email: 'rita@produccionesfast.com', role: 'moderador', password: 'rita-password',
    });
    speaker = await createStaff(server.url, admin, slug, {
      name: 'Saúl', email: 'saul@produccionesfast.com', role: 'speaker', password: 'saul-password',
    });
  });

  const identity = (email: string) =>
    jwt.sign({ email, name: 'Quien Sea' }, embedSecret, { algorithm: 'HS256', audience: slug, expiresIn: 300 });
  const identify = (email: string) => api(server.url, `/api/events/${slug}/identity`, { body: { identity: identity(email) } });

  function expectRefusedAsStaff(response: JsonResponse) {
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'staff_account' });
    expect(response.body.token).toBeUndefined();
    expect(response.headers.get('set-cookie')).toBeNull();
  }

  it("refuses a producer's identity token that names a moderator or a speaker, with no session", async () => {
    for (const email of [moderator.email, speaker.email]) expectRefusedAsStaff(await identify(email));
  });

  it('gives no staff session to any spelling of a staff email in an identity token', async () => {
    // The database's collation decides which spellings name the same row (MariaDB folds case
    // and accents), and some are no email at all; whichever it is, never a staff session.
    const spellings = ['RITA@PRODUCCIONESFAST.COM', '  Rita@ProduccionesFast.com ', 'ríta@produccionesfast.com', 'RÍTA@produccionesfast.com'];
    for (const email of spellings) {
      const response = await identify(email);
      if (response.status === 200) {
        expect([email, response.body.user.role]).toEqual([email, 'visor']);
        expect(response.body.user.id).not.toBe(moderator.id);
      } else {
        const refusals = [[email, 403, 'staff_account'], [email, 401, 'invalid_identity']];
        expect(refusals).toContainEqual([email, response.status, response.body.error]);
        expect(response.headers.get('set-cookie')).toBeNull();
      }
    }
  });

  it('keeps the participants list and bans out of reach of an identity token naming a moderator', async () => {
    const response = await identify(moderator.email);
    const csv = await api(server.url, `/api/events/${slug}/reports/participants.csv`, { token: response.body.token });
    expect(csv.status).toBe(401);
  });

  it('refuses registering with a staff email, over the API and through the form, with no session', async () => {
    expectRefusedAsStaff(
      await api(server.url, `/api/events/${slug}/register`, { body: { name: 'Quien Sea', email: 'Rita@ProduccionesFast.com', phone: '+34 600 000 000' } }),
    );
    const form = await submitForm(server.url, `/e/${slug}`, { name: 'Quien Sea', email: speaker.email, phone: '+34 600 000 000' });
    expect(form.status).toBe(403);
    expect(form.headers.get('set-cookie')).toBeNull();
    expect(form.html).toContain('Este correo pertenece al equipo del evento');
  });

  it("refuses the event's access code for a staff email", async () => {
    const response = await api(server.url, `/api/events/${slug}/login`, { body: { email: moderator.email, password: accessCode } });
    expect(response.status).toBe(403);
    expect(response.body.error).toBe('staff_account');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('still signs staff in with their own password after the refusals', async () => {
    const response = await api(server.url, `/api/events/${slug}/login`, { body: { email: moderator.email, password: 'rita-password' } });
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ id: moderator.id, role: 'moderador' });
  });
});
