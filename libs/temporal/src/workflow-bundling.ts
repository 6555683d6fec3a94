import path from 'node:path';
import type { BundleOptions } from '@temporalio/worker';

/** Repository root, found from this file in both `libs/temporal/src` (ts) and `dist/libs/temporal/src` (js). */
function repoRoot(): string {
  const parts = __dirname.split(path.sep);
  const i = parts.lastIndexOf('libs');
  const root = parts.slice(0, i).join(path.sep) || path.sep;
  return path.basename(root) === 'dist' ? path.dirname(root) : root;
}

/**
 * The workflow entry in source form (tests, development) or compiled form (dist). Path aliases resolve through
 * webpack aliases so `workflows/` can import `@app/domain` and `@app/contracts` as the rest of the code does.
 */
export function workflowBundleOptions(compiled = __filename.endsWith('.js')): Pick<BundleOptions, 'workflowsPath' | 'webpackConfigHook'> {
  const root = repoRoot();
  const base = compiled ? path.join(root, 'dist') : root;
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
  };
}
