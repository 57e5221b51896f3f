// Builds @palco/widgets with rollup (esbuild as its transpiler and minifier):
//   dist/embed.js  the script tag: one IIFE that defines every element (size-checked by a test)
//   dist/admin.js  the admin pages' script: one IIFE that defines <palco-admin>
//   dist/reports.js the report's script tag: <palco-report> with uPlot, kept out of embed.js
//   dist/hls.js    hls.js as an ES module, imported by the player only for HLS streams
//   dist/poll-views.js the polls' views as an ES module, imported by the poll widgets and the speaker board
//   dist/index.js  the ESM library, preact and @palco/sdk left to the app's bundler
//   dist/tokens.js, dist/common-texts.js  the design tokens and the shared words, for the backend's hosted pages
// then tsc writes the declarations (TypeScript 7 has no API a rollup plugin could use).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';
import esbuild from 'rollup-plugin-esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(packageDir, 'dist');
const require = createRequire(import.meta.url);

const transpile = (minify) =>
  esbuild({ target: 'es2022', jsx: 'automatic', jsxImportSource: 'preact', minify, legalComments: 'none' });

/** `import css from 'x.css'` gives the sheet's text, for a shadow root's constructed style sheet. */
const cssAsText = {
  name: 'css-as-text',
  transform(code, id) {
    return id.endsWith('.css') ? { code: `export default ${JSON.stringify(code)};`, map: null } : null;
  },
};

async function bundle({ input, external, minify, output }) {
  const build = await rollup({
    input,
    external,
    plugins: [cssAsText, nodeResolve({ browser: true, extensions: ['.ts', '.tsx', '.mjs', '.js'] }), transpile(minify)],
    onwarn(warning, warn) {
      // hls.js's ESM build uses `this` at the top level of a few helpers; rollup rewrites it safely.
      if (warning.code === 'THIS_IS_UNDEFINED') return;
      warn(warning);
    },
  });
  try {
    await build.write({ sourcemap: true, ...output });
  } finally {
    await build.close();
  }
}

const isDependency = (id) => /^(preact|@palco\/sdk)(\/|$)|^uplot$/.test(id);

rmSync(dist, { recursive: true, force: true });

await Promise.all([
  bundle({
    input: join(packageDir, 'src/embed.ts'),
    minify: true,
    output: { file: join(dist, 'embed.js'), format: 'iife' },
  }),
  bundle({
    input: join(packageDir, 'src/admin.ts'),
    minify: true,
    output: { file: join(dist, 'admin.js'), format: 'iife' },
  }),
  bundle({
    input: join(packageDir, 'src/moderation.ts'),
    minify: true,
    output: { file: join(dist, 'moderation.js'), format: 'iife' },
  }),
  bundle({
    input: join(packageDir, 'src/reports.ts'),
    minify: true,
    output: { file: join(dist, 'reports.js'), format: 'iife' },
  }),
  bundle({
    input: join(packageDir, 'src/poll-views.ts'),
    minify: true,
    output: { file: join(dist, 'poll-views.js'), format: 'es' },
  }),
  bundle({
    input: require.resolve('hls.js'),
    minify: true,
    output: { file: join(dist, 'hls.js'), format: 'es' },
  }),
  ...['tokens', 'common-texts'].map((name) =>
    bundle({
      input: join(packageDir, `src/${name}.ts`),
      minify: false,
      output: { file: join(dist, `${name}.js`), format: 'es' },
    }),
  ),
  bundle({
    input: join(packageDir, 'src/index.ts'),
    external: isDependency,
    minify: false,
    output: { file: join(dist, 'index.js'), format: 'es' },
  }),
]);

// typescript's exports map hides bin/tsc, so it is found beside its package.json.
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(packageDir, 'tsconfig.build.json')], { stdio: 'inherit' });
