/**
 * The layer rules of biome.json bite: each file of fixtures/broken breaks one rule and is reported
 * once; fixtures/clean (the imports each layer may make) passes. Each tree is linted on its own,
 * beside a copy of the real biome.json and its GritQL plugins, so the overrides' folder globs
 * (src/domain/**, web/src/** …) apply to it as they do to the project. The fixtures are kept out of
 * the project's own lint (biome.json files.includes) and type-check (tsconfig.json exclude).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const BIOME = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
const run = promisify(execFile);

const RESTRICTED = 'lint/style/noRestrictedImports';
/** The GritQL plugins under lint/ (type-only imports). */
const PLUGIN = 'plugin';

interface Report {
  summary: { unchanged: number; changed: number };
  diagnostics: Array<{ category: string; location: { path: string } }>;
}

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

/** Lints one fixture tree with the project's rules; the diagnostics' categories by file. */
async function lintTree(tree: 'broken' | 'clean'): Promise<{ byFile: Record<string, string[]>; checked: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), `shikaku-layers-${tree}-`));
  made.push(dir);
  await cp(path.join(ROOT, 'biome.json'), path.join(dir, 'biome.json'));
  await cp(path.join(ROOT, 'lint'), path.join(dir, 'lint'), { recursive: true });
  await cp(path.join(FIXTURES, tree), dir, { recursive: true });
  const args = [BIOME, 'lint', '--reporter=json', '--max-diagnostics=none', `--config-path=${dir}`, '.'];
  // Biome exits 1 when it reports an error; the JSON on stdout is the answer either way.
  const stdout = await run(process.execPath, args, { cwd: dir }).then(
    (r) => r.stdout,
    (e: { stdout?: string }) => e.stdout ?? '',
  );
  const report = JSON.parse(stdout) as Report;
  const byFile: Record<string, string[]> = {};
  for (const d of report.diagnostics) {
    byFile[d.location.path] = [...(byFile[d.location.path] ?? []), d.category];
  }
  return { byFile, checked: report.summary.unchanged + report.summary.changed };
}

describe('layer rules (biome.json)', () => {
  it('reports each broken rule, once, on the file that breaks it', async () => {
    const { byFile } = await lintTree('broken');
    expect(byFile).toEqual({
      'src/domain/imports-http.ts': [RESTRICTED],
      'src/domain/imports-node.ts': [RESTRICTED],
      'src/domain/imports-service.ts': [RESTRICTED],
      'src/contract/imports-service.ts': [RESTRICTED],
      'src/contract/imports-kysely.ts': [RESTRICTED],
      'src/services/imports-cli.ts': [RESTRICTED],
      'src/services/imports-http-type.ts': [RESTRICTED],
      'src/store/imports-http.ts': [RESTRICTED],
      'src/documents/imports-web.ts': [RESTRICTED],
      'src/fhir/imports-store.ts': [RESTRICTED],
      'src/fhir/calls-service.ts': [PLUGIN],
      'src/http/imports-cli.ts': [RESTRICTED],
      'web/src/imports-service.ts': [RESTRICTED],
      'web/src/contract-value.ts': [PLUGIN],
    });
  });

  it('passes the imports each layer may make', async () => {
    const { byFile, checked } = await lintTree('clean');
    expect(byFile).toEqual({});
    // Not vacuous: the clean tree's files were linted.
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});
