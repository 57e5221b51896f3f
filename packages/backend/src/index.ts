export { createApp, type PalcoApp } from './app.js';
export { loadConfig, type Config } from './config.js';
export type { AppDeps } from './context.js';
export { startServer, type RunningServer } from './server.js';
export { openDatabase, type Database } from './db/database.js';
export { migrate } from './db/migrate.js';
export { compileWordFilter, normaliseWord, type WordFilter, type WordFilterOptions, type WordMatch } from './moderation/index.js';
