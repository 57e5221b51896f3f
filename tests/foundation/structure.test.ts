import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The seams docs/architecture.md describes, held by the source itself. */
const source = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages/backend/src');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const files = sourceFiles(source);
const name = (path: string) => relative(source, path);
const linesOf = (path: string) => readFileSync(path, 'utf8').split('\n').length - 1;

/**
 * The backend files `path` imports by relative path at run time: `import type` and `export type`
 * are erased by the compiler, so a cycle through them loads nothing twice.
 */
function importsOf(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const targets = [...text.matchAll(/^\s*(import|export)\b([^;]*?)from\s+'(\.{1,2}\/[^']+)'/gms)]
    .filter((match) => !/^\s*type\b/.test(match[2]!))
    .map((match) => match[3]!)
    .concat([...text.matchAll(/^\s*import\s+'(\.{1,2}\/[^']+)'/gm)].map((match) => match[1]!));
  return targets.map((target) => {
    const resolved = resolve(dirname(path), target).replace(/\.js$/, '');
    return files.find((file) => file === `${resolved}.ts` || file === `${resolved}.tsx` || file === join(resolved, 'index.ts')) ?? '';
  }).filter(Boolean);
}

describe('the backend source', () => {
  it('has no file over 350 lines, and a hub of about 200', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((file) => linesOf(file) > 350).map(name)).toEqual([]);
    expect(linesOf(join(source, 'realtime/hub.ts'))).toBeLessThanOrEqual(230);
  });

  it('has no service that imports from realtime/', () => {
    const services = files.filter((file) => name(file).startsWith('services/'));
    expect(services.length).toBeGreaterThan(5);
    const offending = services.flatMap((file) => importsOf(file).filter((target) => name(target).startsWith('realtime/')).map((target) => `${name(file)} → ${name(target)}`));
    expect(offending).toEqual([]);
  });

  it('has no import cycle at run time', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file)]));
    expect([...graph.values()].flat().length).toBeGreaterThan(100);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map(name).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
