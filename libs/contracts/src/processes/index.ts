/**
 * The process kinds that exist, one descriptor each. Adding a kind: its descriptor file beside this one and one
 * entry here, its workflow (workflows/<kind>.workflow.ts, exported from workflows/index.ts) and its activities
 * (apps/worker/src/activities/<kind>.activities.ts, listed in PROCESS_KIND_ACTIVITIES). Nothing else changes.
 */
import type { ProcessKind } from '@app/domain';
import { annualBudget } from './annual-budget.process';
import { establishBranch } from './establish-branch.process';
import { jointOrganization } from './joint-organization.process';
import type { ProcessDescriptor } from './process-descriptor';
import { relationTransfer } from './relation-transfer.process';
import { stipendDisbursement } from './stipend-disbursement.process';
import { secretaryDispatch } from './secretary-dispatch.process';
import { secretarySource } from './secretary-source.process';
import { termRenewal } from './term-renewal.process';

export const PROCESS_DESCRIPTORS: Partial<Record<ProcessKind, ProcessDescriptor>> = {
  'establish-branch': establishBranch,
  'joint-organization': jointOrganization,
  'relation-transfer': relationTransfer,
  'annual-budget': annualBudget,
  'stipend-disbursement': stipendDisbursement,
  'secretary-dispatch': secretaryDispatch,
  'secretary-source': secretarySource,
  'term-renewal': termRenewal,
};

/** The matter of a process of the kind as people read it in emails, pages and the record (成立党支部申请). */
export function processTitle(kind: string): string {
  const d = descriptorOf(kind);
  return d ? (d.matter ?? `${d.label}申请`) : kind;
}

/** The descriptor of a kind that exists, or null (a kind of API.md not built yet). */
export function descriptorOf(kind: string): ProcessDescriptor | null {
  return (PROCESS_DESCRIPTORS as Record<string, ProcessDescriptor | undefined>)[kind] ?? null;
}

export * from './process-descriptor';
export * from './establish-branch.process';
export * from './joint-organization.process';
export * from './relation-transfer.process';
export * from './annual-budget.process';
export * from './stipend-disbursement.process';
export * from './secretary-dispatch.process';
export * from './secretary-source.process';
export * from './term-renewal.process';
