// Builds @palco/sdk: esbuild writes the JavaScript (ESM, CJS, the script-tag IIFE), tsc the
// declarations (TypeScript 7 has no compiler API, so no bundler plugin can emit them).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(packageDir, 'dist');
const require = createRequire(import.meta.url);

const shared = { bundle: true, platform: 'neutral', target: 'es2022', sourcemap: true, logLevel: 'warning' };
// valibot stays a dependency for npm users, so apps that already use it load it once.
const library = { ...shared, external: ['valibot'] };
const entries = { index: 'src/index.ts', protocol: 'src/protocol/index.ts' };

rmSync(dist, { recursive: true, force: true });

await Promise.all([
  ...Object.entries(entries).flatMap(([name, entry]) => [
    build({ ...library, entryPoints: [join(packageDir, entry)], format: 'esm', outfile: join(dist, `${name}.js`) }),
    build({ ...library, entryPoints: [join(packageDir, entry)], format: 'cjs', outfile: join(dist, `${name}.cjs`) }),
  ]),
  build({
    ...shared,
    entryPoints: [join(packageDir, entries.index)],
    format: 'iife',
    globalName: 'Palco',
    minify: true,
    platform: 'browser',
    outfile: join(dist, 'palco-sdk.iife.js'),
  }),
]);

// typescript's exports map hides bin/tsc, so it is found beside its package.json.
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.build.json')], { stdio: 'inherit' });
