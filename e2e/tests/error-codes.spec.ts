// Every code the engine or the matcher can answer with has a sentence in both languages: the
// codes are read from their sources, so a new code without a sentence fails here, not in front
// of a trader.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { repoRoot } from '../support/system.ts';

async function source(relative: string): Promise<string> {
  return readFile(path.join(repoRoot, relative), 'utf8');
}

/** The string members of an exported union type `name` in a TypeScript source. */
function unionMembers(text: string, name: string): string[] {
  const match = new RegExp(`export type ${name} =([^;]+);`).exec(text);
  if (!match?.[1]) throw new Error(`type ${name} not found`);
  return [...match[1].matchAll(/'([A-Z_]+)'/g)].map((m) => m[1] ?? '');
}

test('every engine and matcher error code has an English and a Thai sentence', async () => {
  const engine = unionMembers(await source('apps/engine/src/errors.ts'), 'EngineCode');
  const matcher = unionMembers(await source('packages/matching/src/errors.ts'), 'RejectCode');
  const codes = [...engine, ...matcher, 'VALIDATION_FAILED'];
  expect(engine.length).toBeGreaterThan(10);
  expect(matcher.length).toBeGreaterThan(10);
  for (const file of ['apps/web/lib/i18n/en.ts', 'apps/web/lib/i18n/th.ts']) {
    const dict = await source(file);
    const missing = codes.filter((c) => !new RegExp(`'error\\.${c}':\\s*'[^']{8,}'`).test(dict));
    expect(missing, `${file} has no sentence for`).toEqual([]);
  }
});
