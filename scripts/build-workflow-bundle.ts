/** Production workflow bundle: built once at image build time; exits non-zero when bundling fails. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '@app/temporal';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode(workflowBundleOptions());
  const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  await writeFile(out, code);
  console.log(`workflow bundle written to ${out} (${code.length} bytes)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
