import type { InstitutionType, ManagedBy, MemberCategory, MemberStatus, OrganizationKind, Role } from '@app/domain';

export interface DemoOrganization {
  id: string;
  name: string;
  kind: OrganizationKind;
  parentId: string | null;
  institutionId: string | null;
  termStart: string | null;
  termEnd: string | null;
  secretaryMemberId: string | null;
}

export interface DemoInstitution {
  id: string;
  name: string;
  type: InstitutionType;
  district: string;
  townshipOrgId: string;
  sponsorOrgId: string | null;
  publicBuilderOrgId: string | null;
  managedBy: ManagedBy | null;
  operatorName: string | null;
  bedCount: number | null;
  residentCount: number | null;
  partyOrganizationId: string | null;
  /** Work coverage facts (R6), written when the schema has the columns. */
  hasInstructor: boolean;
  hasMassOrganisation: boolean;
}

export interface DemoMember {
  id: string;
  name: string;
  institutionId: string;
  category: MemberCategory;
  status: MemberStatus;
  birthDate: string;
  disabled: boolean;
  dementia: boolean;
  relationOrgId: string | null;
}

export interface DemoUser {
  username: string;
  password: string;
  displayName: string;
  email: string;
  roles: Role[];
  organizationIds: string[];
  institutionIds: string[];
  /** What the account is for, printed with the credentials. */
  note: string;
}

export interface DemoCity {
  seed: number;
  /** The day terms and ages are counted from (YYYY-MM-DD). */
  today: string;
  districts: string[];
  organizations: DemoOrganization[];
  institutions: DemoInstitution[];
  members: DemoMember[];
  users: DemoUser[];
}

export interface DemoSummary {
  seed: number;
  districts: number;
  organizations: Record<string, number>;
  institutions: Record<string, number>;
  residents: number;
  members: { staffFull: number; staffProbationary: number; elderlyFull: number; elderlyProbationary: number };
  /** The 261 institutions by FULL staff members: 0, 1-2, 3-6, 7+. */
  staffSpread: Record<'0' | '1-2' | '3-6' | '7+', number>;
  covered: number;
  users: string[];
}
