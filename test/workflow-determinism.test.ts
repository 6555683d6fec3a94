/**
 * Workflow code stays deterministic: nothing reachable from workflows/ imports Nest, TypeORM, pg, bullmq,
 * nodemailer, ioredis or a Node built-in (checked on the TypeScript import graph), and the bundle builds.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '@app/temporal';

const root = path.resolve(__dirname, '..');
const FORBIDDEN = [/^@nestjs\//, /^typeorm/, /^pg$/, /^bullmq/, /^nodemailer/, /^ioredis/, /^reflect-metadata/, /^@temporalio\/(worker|client|activity)/];
// zod: the process descriptors' schemas (pure data validation; no I/O, and the sandbox makes its clock and randomness deterministic).
const ALLOWED_PACKAGES = ['@temporalio/workflow', '@temporalio/common', 'zod'];

function importGraph(entry: string): { files: string[]; packages: Map<string, string> } {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const info = ts.preProcessFile(ts.sys.readFile(file)!, true, true);
    for (const ref of info.importedFiles) {
      const resolved = ts.resolveModuleName(ref.fileName, file, config.options, ts.sys).resolvedModule;
      if (resolved && !resolved.isExternalLibraryImport && resolved.resolvedFileName.endsWith('.ts') && !resolved.resolvedFileName.endsWith('.d.ts')) {
        queue.push(resolved.resolvedFileName);
      } else {
        packages.set(ref.fileName, path.relative(root, file));
      }
    }
  }
  return { files: [...seen].map((f) => path.relative(root, f)), packages };
}

describe('workflows/ determinism guard', () => {
  const { files, packages } = importGraph(path.join(root, 'workflows/index.ts'));

  it('reaches only workflow code, the contracts and the pure domain library', () => {
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect(f).toMatch(/^(workflows|libs\/domain\/src|libs\/contracts\/src)\//);
  });

  it('imports no framework, driver or Node built-in', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const offenders = [...packages.entries()].filter(([name]) => builtins.has(name) || FORBIDDEN.some((re) => re.test(name)));
    expect(offenders).toEqual([]);
    for (const name of packages.keys()) expect(ALLOWED_PACKAGES).toContain(name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name);
  });

  it('detects a forbidden import when one is added (the check can fail)', () => {
    const probe = importGraph(path.join(root, 'test/fixtures/bad-workflow/index.ts'));
    expect([...probe.packages.keys()]).toEqual(expect.arrayContaining(['node:fs', '@nestjs/common']));
  });

  it('bundles with the Temporal workflow bundler', async () => {
    const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never });
    expect(code).toContain('establishBranchWorkflow');
  });
});
