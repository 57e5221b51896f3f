import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@palco\/sdk\/protocol$/, replacement: here('./packages/sdk/src/protocol/index.ts') },
      { find: /^@palco\/sdk$/, replacement: here('./packages/sdk/src/index.ts') },
      { find: /^@palco\/widgets\/tokens$/, replacement: here('./packages/widgets/src/tokens.ts') },
      { find: /^@palco\/widgets\/common-texts$/, replacement: here('./packages/widgets/src/common-texts.ts') },
    ],
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    include: ['packages/*/src/**/*.test.{ts,tsx}', 'tests/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
