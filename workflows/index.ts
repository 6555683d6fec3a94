/** Every workflow the worker registers. Deterministic code only: see test/workflow-determinism.test.ts. */
export { establishBranchWorkflow } from './establish-branch.workflow';
export { jointOrganizationWorkflow } from './joint-organization.workflow';
export { secretarySuccessionWorkflow } from './secretary-succession.workflow';
export { relationTransferWorkflow } from './relation-transfer.workflow';
export { annualBudgetWorkflow } from './annual-budget.workflow';
export { stipendDisbursementWorkflow } from './stipend-disbursement.workflow';
export { budgetCycleWorkflow, stipendMonthWorkflow } from './funds-cycles.workflow';
export { dispatchDutyWorkflow, secretaryDispatchWorkflow } from './secretary-dispatch.workflow';
export { secretarySourceWorkflow } from './secretary-source.workflow';
export { termRenewalWorkflow } from './term-renewal.workflow';
export { termWatchWorkflow } from './term-watch.workflow';
