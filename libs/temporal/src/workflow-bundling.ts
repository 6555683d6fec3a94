import path from 'node:path';
import type { BundleOptions } from '@temporalio/worker';

/** The folder holding `libs/` and `workflows/` next to this file: the repository (ts) or the build output (js). */
function codeRoot(): string {
  const parts = __dirname.split(path.sep);
  return parts.slice(0, parts.lastIndexOf('libs')).join(path.sep) || path.sep;
}

/**
 * The workflow entry in source form (tests, development) or compiled form (dist). Path aliases resolve through
 * webpack aliases so `workflows/` can import `@app/domain` and `@app/contracts` as the rest of the code does.
 */
export function workflowBundleOptions(): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook' | 'preloadModules'> {
  const base = codeRoot();
  const compiled = __filename.endsWith('.js');
  return {
    workflowsPath: path.join(base, 'workflows', compiled ? 'index.js' : 'index.ts'),
    webpackConfigHook: (config) => {
      config.resolve = config.resolve ?? {};
      config.resolve.alias = {
        ...(config.resolve.alias as Record<string, string> | undefined),
        '@app/domain': path.join(base, 'libs/domain/src'),
        '@app/contracts': path.join(base, 'libs/contracts/src'),
      };
      return config;
    },
    // zod, the contracts (descriptors built with zod) and the domain library: evaluated once per worker thread and
    // shared, instead of once per workflow run the worker creates or brings back into its cache (that evaluation
    // dominated the workflow thread's CPU and every cached run's memory; README, Benchmark). Shared modules are
    // frozen, so they must keep no per-run state: these are pure, and descriptors settle zod's lazy fields when
    // defined (defineProcess).
    preloadModules: ['zod', '@app/contracts', '@app/domain'],
  };
}
