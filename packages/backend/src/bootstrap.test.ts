import { describe, expect, it } from 'vitest';
import { nameFromEmail } from './bootstrap.js';

describe('the first administrator’s name', () => {
  it('comes from the email the setup gave, not a fixed "Administrador"', () => {
    expect(nameFromEmail('maria.lopez-garcia@acme.com')).toBe('Maria Lopez Garcia');
    expect(nameFromEmail('admin@produccionesfast.com')).toBe('Admin');
    expect(nameFromEmail('ana_perez+palco@empresa.com')).toBe('Ana Perez');
    expect(nameFromEmail('ñandú@ejemplo.es')).toBe('Ñandú');
  });

  it('falls back to the whole address when the local part has no letters to use', () => {
    expect(nameFromEmail('._@acme.com')).toBe('._@acme.com');
  });
});
