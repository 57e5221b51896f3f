import { beforeAll, describe, expect, it } from 'vitest';
import type { ParticipantReport, TablePage } from '@palco/sdk/protocol';
import { api } from '../support/http.js';
import { createMariadbDatabase, databaseTargets, type DatabaseTarget } from '../support/server.js';
import { attendeeOf, createEvent } from '../realtime/support.js';
import { useServer } from '../support/fixture.js';

const names = ['🍕', '🍺', '😀', 'Peña Ruiz', 'ÁLVARO GIL'];
const mysqlUrl = process.env.TEST_MYSQL_URL;

/** Registers `names` in a fresh event and returns a search of its participants by `q`. */
function searchOn(target: DatabaseTarget) {
  let event: Awaited<ReturnType<typeof createEvent>>;

  const server = useServer(target);
  beforeAll(async () => {
    event = await createEvent(server, 'busqueda');
    for (const name of names) await attendeeOf(server, event.slug, name);
  });

  return async (q: string) => {
    const response = await api<TablePage<ParticipantReport>>(
      server.url,
      `/api/events/${event.slug}/reports/participants?q=${encodeURIComponent(q)}`,
      { token: event.moderator.token },
    );
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items.map((participant) => participant.name).sort();
  };
}

describe.each(databaseTargets)('searching the participants of an event on $name', (target) => {
  const namesFound = searchOn(target);

  it('finds only the person named with the emoji searched for, not everyone named with an emoji', async () => {
    expect(await namesFound('🍕')).toEqual(['🍕']);
    expect(await namesFound('😀')).toEqual(['😀']);
  });

  it('ignores case in the search', async () => {
    expect(await namesFound('peña')).toEqual(['Peña Ruiz']);
    expect(await namesFound('gil')).toEqual(['ÁLVARO GIL']);
  });

  if (target.name === 'sqlite') {
    // SQLite's LIKE folds only ASCII letters and keeps accents (docs/protocol.md, Reports).
    it('keeps accents in the search on SQLite', async () => {
      expect(await namesFound('pena')).toEqual([]);
      expect(await namesFound('álvaro')).toEqual([]);
    });
  } else {
    it('ignores accents and the case of accented letters in the search on MariaDB', async () => {
      expect(await namesFound('pena')).toEqual(['Peña Ruiz']);
      expect(await namesFound('álvaro')).toEqual(['ÁLVARO GIL']);
    });
  }
});

/*
 * A database made with a bare `CREATE DATABASE palco CHARACTER SET utf8mb4` has the server's
 * default collation (utf8mb4_general_ci on MariaDB), under which every emoji matches every
 * other one: the migrations convert it.
 */
describe.skipIf(!mysqlUrl)('searching participants in a MariaDB database created with the server default collation (needs TEST_MYSQL_URL)', () => {
  const namesFound = searchOn({ name: 'mariadb', create: () => createMariadbDatabase(mysqlUrl!, undefined, null) });

  it('finds only the person named with the emoji searched for, not everyone named with an emoji', async () => {
    expect(await namesFound('🍕')).toEqual(['🍕']);
    expect(await namesFound('🍺')).toEqual(['🍺']);
  });

  it('still ignores accents and case in the search', async () => {
    expect(await namesFound('PENA')).toEqual(['Peña Ruiz']);
  });
});
