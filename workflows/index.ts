/** Every workflow the worker registers. Deterministic code only: see test/workflow-imports.test.ts. */
export { establishBranchWorkflow } from './establish-branch.workflow';
export { secretarySuccessionWorkflow } from './secretary-succession.workflow';
