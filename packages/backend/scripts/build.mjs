// Bundles the backend for Node; npm dependencies stay external, @palco/* is bundled in.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const external = Object.keys(pkg.dependencies ?? {}).filter((name) => !name.startsWith('@palco/'));

await build({
  // The mail worker is a thread of its own (src/mail/mailer.ts), started from its own file.
  entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts', 'mail-worker': 'src/mail/worker.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: true,
  sourcemap: true,
  external,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  banner: { js: "import { createRequire as __palcoRequire } from 'node:module'; const require = __palcoRequire(import.meta.url);" },
  logLevel: 'warning',
});
