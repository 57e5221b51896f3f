import type { Lang } from '@palco/sdk';

/** Words the widgets, the admin pages and the report all show, so each is worded once. */
const es = {
  loading: 'Cargando…',
  email: 'Correo electrónico',
  signedInAs: (name: string) => `Conectado como ${name}`,
  signOut: 'Cerrar sesión',
  formHasErrors: 'Revisa los campos marcados.',
};

export type CommonTexts = typeof es;

const en: CommonTexts = {
  loading: 'Loading…',
  email: 'Email',
  signedInAs: (name) => `Signed in as ${name}`,
  signOut: 'Sign out',
  formHasErrors: 'Please check the highlighted fields.',
};

export const commonTexts: Record<Lang, CommonTexts> = { es, en };
