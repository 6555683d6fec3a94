import { type RuleId, SEED_SOURCES } from '../seed-sources';
import type { Finding, Severity } from '../types';

/** Builds a finding that quotes its rule's seed sentence. */
export function finding(ruleId: RuleId, severity: Severity, message: string): Finding {
  return { ruleId, severity, message, source: SEED_SOURCES[ruleId] };
}

export function hasViolation(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'VIOLATION');
}
