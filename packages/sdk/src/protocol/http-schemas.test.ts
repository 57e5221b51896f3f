import { describe, expect, it } from 'vitest';
import { EventCreateInput } from './http-schemas.js';
import { validate } from './validate.js';

describe('allowed origins of an event', () => {
  it('accept an origin pasted with a trailing slash and keep it as browsers send it', () => {
    const checked = validate(EventCreateInput, {
      slug: 'lanzamiento',
      title: 'Lanzamiento',
      allowed_origins: ['https://Producer.example.com/', ' http://localhost:8080 '],
    });
    expect(checked).toMatchObject({ ok: true, value: { allowed_origins: ['https://producer.example.com', 'http://localhost:8080'] } });
  });

  it('still refuse an address with a path', () => {
    const checked = validate(EventCreateInput, { slug: 'lanzamiento', title: 'Lanzamiento', allowed_origins: ['https://x.com/embed'] });
    expect(checked.ok).toBe(false);
  });
});
