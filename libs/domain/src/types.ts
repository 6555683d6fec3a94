/** Institution types of the seed policy (DOMAIN.md glossary). */
export const INSTITUTION_TYPES = [
  'PUBLIC',
  'PUBLIC_BUILT_PRIVATE_RUN',
  'PRIVATE',
  'HOME_CARE_CENTER',
  'HOME_CARE_STATION',
] as const;
export type InstitutionType = (typeof INSTITUTION_TYPES)[number];

/** Bodies that manage and approve, plus the party organisations that processes create. */
export const MANAGING_ORG_KINDS = [
  'CIVIL_AFFAIRS',
  'DISTRICT',
  'TOWNSHIP',
  'SPONSOR',
  'PUBLIC_BUILDER',
  'OPERATOR',
] as const;
export type ManagingOrgKind = (typeof MANAGING_ORG_KINDS)[number];

export const PARTY_ORG_KINDS = ['BRANCH', 'GENERAL_BRANCH', 'COMMITTEE', 'JOINT', 'ELDERLY_BRANCH'] as const;
export type PartyOrgKind = (typeof PARTY_ORG_KINDS)[number];

export type OrganizationKind = ManagingOrgKind | PartyOrgKind;
export const ORGANIZATION_KINDS: readonly OrganizationKind[] = [...MANAGING_ORG_KINDS, ...PARTY_ORG_KINDS];

export const MEMBER_STATUSES = ['FULL', 'PROBATIONARY'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

export const MEMBER_CATEGORIES = ['STAFF', 'ELDERLY'] as const;
export type MemberCategory = (typeof MEMBER_CATEGORIES)[number];

export const MANAGED_BY_OPTIONS = ['PUBLIC_BUILDER', 'TOWNSHIP'] as const;
export type ManagedBy = (typeof MANAGED_BY_OPTIONS)[number];

export const ROLES = ['ADMIN', 'APPROVER', 'APPLICANT'] as const;
export type Role = (typeof ROLES)[number];

export const PROCESS_KINDS = [
  'establish-branch',
  'joint-organization',
  'term-renewal',
  'annual-budget',
  'stipend-disbursement',
  'secretary-dispatch',
  'secretary-source',
  'relation-transfer',
] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];

export const PROCESS_STATUSES = ['RUNNING', 'RETURNED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'FAILED'] as const;
export type ProcessStatus = (typeof PROCESS_STATUSES)[number];
export const OPEN_PROCESS_STATUSES: readonly ProcessStatus[] = ['RUNNING', 'RETURNED'];

export const DECISIONS = ['APPROVE', 'REJECT', 'RETURN'] as const;
export type Decision = (typeof DECISIONS)[number];

export const TASK_STATUSES = ['OPEN', 'COMPLETED', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** The facts about an institution the rules need (a plain snapshot, no ORM types). */
export interface InstitutionFacts {
  id: string;
  type: InstitutionType;
  townshipOrgId: string;
  sponsorOrgId?: string | null;
  publicBuilderOrgId?: string | null;
  managedBy?: ManagedBy | null;
  /** The institution's own party organisation, when one exists. */
  partyOrganizationId?: string | null;
  /**
   * The parent of the township organisation (the district organisation above it). R3b reads it when a type is set
   * to be managed by the DISTRICT; the caller looks it up (the rules do no I/O).
   */
  townshipParentOrgId?: string | null;
}

/** Just the facts the rules read, from any record that carries them (an entity row, a report row). */
export function institutionFacts(r: InstitutionFacts): InstitutionFacts {
  return {
    id: r.id,
    type: r.type,
    townshipOrgId: r.townshipOrgId,
    sponsorOrgId: r.sponsorOrgId,
    publicBuilderOrgId: r.publicBuilderOrgId,
    managedBy: r.managedBy,
    partyOrganizationId: r.partyOrganizationId,
    townshipParentOrgId: r.townshipParentOrgId,
  };
}

export interface MemberFacts {
  id: string;
  institutionId: string;
  category: MemberCategory;
  status: MemberStatus;
  birthDate?: string | null; // YYYY-MM-DD
  disabled?: boolean;
  dementia?: boolean;
  relationOrgId?: string | null;
  /** Date the member started working at / moved into the institution (YYYY-MM-DD); R11 counts 90 days from it. */
  joinedAt?: string | null;
  /** Date the member became a FULL member (转正); party standing (党龄) counts from it. */
  fullMemberSince?: string | null;
  /**
   * A relation transfer of this member into the institution's organisation (or the elderly branch being set up) is
   * requested or under way. Under the R7 count basis RELATION_IN such a member counts toward an elderly branch, and
   * an R12-exempt member with it (an approved exception) is no longer listed as reporting only.
   */
  transferInPending?: boolean;
}

export type Severity = 'INFO' | 'WARNING' | 'VIOLATION';

/** Every verdict carries the rule id and the seed sentence it comes from. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string; // zh-CN
  source: string; // the seed sentence, quoted
}

/** 联合党组织: 同业共建 (peers build together) / 挂靠组建 (attach to an existing organisation). */
export const JOINT_MODES = ['CO_BUILD', 'AFFILIATE'] as const;
export type JointMode = (typeof JOINT_MODES)[number];

/** R8: roles the public builder dispatches (选派). */
export const DISPATCH_ROLES = ['SECRETARY', 'FIRST_SECRETARY', 'INSTRUCTOR'] as const;
export type DispatchRole = (typeof DISPATCH_ROLES)[number];

/** R8/R10: where a PUBLIC_BUILT_PRIVATE_RUN organisation's secretary comes from. */
export const SECRETARY_SOURCES = ['PUBLIC_BUILDER', 'OPERATOR', 'ELECTION'] as const;
export type SecretarySource = (typeof SECRETARY_SOURCES)[number];

/** R4/R5/R6: the one thing an institution must do next to be covered. */
export const REQUIRED_ACTIONS = ['STANDALONE_ORG', 'JOINT_ORG', 'INSTRUCTOR', 'MASS_ORGANISATION', 'NONE'] as const;
export type RequiredAction = (typeof REQUIRED_ACTIONS)[number];

/** R12: why an elderly member's relation is not transferred. */
export const TRANSFER_EXEMPT_REASONS = ['ADVANCED_AGE', 'DISABLED', 'DEMENTIA'] as const;
export type TransferExemptReason = (typeof TRANSFER_EXEMPT_REASONS)[number];

export const SEVERITIES = ['INFO', 'WARNING', 'VIOLATION'] as const;

/** Facts about an existing party organisation (a plain snapshot). */
export interface OrganizationFacts {
  id: string;
  kind: PartyOrgKind;
  /** Where escalation goes. */
  parentId?: string | null;
  termStart?: string | null; // YYYY-MM-DD, the election date
  termEnd?: string | null; // YYYY-MM-DD; derived from termStart and kind when absent
  /** An approved postponement moves the renewal deadline to this date (at most 1 year). */
  postponedUntil?: string | null;
  secretaryMemberId?: string | null;
  /** The day it was established in the registry (R14: a budget is due from the next cycle). */
  establishedOn?: string | null;
  /** JOINT only: how it was formed and which institutions it covers. */
  jointMode?: JointMode | null;
  jointInstitutionIds?: readonly string[];
}
