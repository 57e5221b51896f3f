import { beforeAll, describe, expect, it } from 'vitest';
import { createClient, fieldProblemText, type PalcoClient } from '@palco/sdk';
import { databaseTargets } from '../support/server.js';
import { useServer } from '../support/fixture.js';

describe.each(databaseTargets)('the video of an event, as an administrator sets it, on $name', (target) => {
  let admin: PalcoClient;

  const server = useServer(target);
  beforeAll(async () => {
    admin = createClient({ baseUrl: server.url, event: 'demo-fast' });
    await admin.admin.login({ email: server.adminEmail, password: server.adminPassword });
  });

  it('asks for the channel’s UC… address instead of an @handle link, in Spanish and English', async () => {
    for (const video_url of ['https://www.youtube.com/@produccionesfast/live', 'https://youtube.com/c/ProduccionesFast']) {
      await expect(admin.admin.createEvent({ slug: 'canal-handle', title: 'Canal', video_url })).rejects.toMatchObject({
        code: 'invalid_input',
        status: 422,
        fields: { video_url: fieldProblemText('youtube_handle') },
      });
    }
    expect(fieldProblemText('youtube_handle', 'en')).toContain('youtube.com/channel/UC…/live');
  });

  it('keeps a channel’s permanent live link and its start time as given', async () => {
    const created = await admin.admin.createEvent({
      slug: 'canal-en-vivo',
      title: 'Canal en vivo',
      video_url: 'https://www.youtube.com/channel/UCSJ4gkVC6NrvII8umztf0Ow/live',
    });
    expect(created).toMatchObject({ video_url: 'https://www.youtube.com/channel/UCSJ4gkVC6NrvII8umztf0Ow/live', video_kind: 'auto' });
  });

  it('marks an HLS stream whose URL has no .m3u8 as HLS, and every attendee’s page hears it', async () => {
    const created = await admin.admin.createEvent({
      slug: 'hls-firmado',
      title: 'HLS firmado',
      video_url: 'https://cdn.example.com/live/playlist?token=abc',
      video_kind: 'hls',
    });
    expect(created.video_kind).toBe('hls');
    const visitor = createClient({ baseUrl: server.url, event: 'hls-firmado' });
    expect(await visitor.getEvent()).toMatchObject({ video_kind: 'hls' });
    const changed = await admin.admin.updateEvent(created.id, { video_kind: 'file' });
    expect(changed.video_kind).toBe('file');
    await expect(admin.admin.updateEvent(created.id, { video_kind: 'dash' as never })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { video_kind: fieldProblemText('invalid_video_kind') },
    });
  });
});
