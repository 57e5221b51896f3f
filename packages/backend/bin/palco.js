#!/usr/bin/env node
// The `palco` command npm links at install time. It lives outside dist/ so that the link exists
// on a fresh clone, where dist/ is built only later by `npm run build` or `npm start`.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('palco: the backend is not built yet (packages/backend/dist/cli.js is missing): run `npm run build` first.');
  process.exit(1);
}
await import(cli.href);
