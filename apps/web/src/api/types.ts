/**
 * The API's answers, typed from the API's own sources (entities, service views, DTO classes, libs/contracts and
 * libs/domain) through `Wire<>`, which turns them into what JSON carries (a Date becomes its ISO string). Type-only
 * imports: nothing of the server reaches the bundle.
 */
import type { Decision, PolicySettings, ProcessKind, ProcessStatus, Role, TaskStatus } from '@app/domain';
import type {
  DelegationEntity,
  DispatchEntity,
  InstitutionEntity,
  MemberHistoryEntity,
  OrganizationEntity,
  PartyMemberEntity,
  SettingsAuditEntity,
  TaskEntity,
  UserEntity,
} from '@app/persistence';
import type { AuthUser } from '../../../api/src/common/auth-user';
import type { AdminProcessRowDto, ProcessHistoryDto } from '../../../api/src/admin/admin-processes.dto';
import type { OverdueReportDto } from '../../../api/src/admin/overdue.dto';
import type { QueueBoardSessionDto, QueueReportDto } from '../../../api/src/admin/queues.dto';
import type { ImportResultDto } from '../../../api/src/imports/imports.dto';
import type { WorkingCalendar } from '../../../api/src/policy/calendar-settings.validator';
import type { ComplianceDto, FindingDto } from '../../../api/src/policy/compliance.dto';
import type { DispatchDetailDto } from '../../../api/src/dispatches/dispatches.dto';
import type { AdjustmentDto, BudgetDto, PaymentDto } from '../../../api/src/funds/funds.dto';
import type { CoverageReportDto } from '../../../api/src/policy/coverage.dto';
import type { ProcessesService, ProcessView } from '../../../api/src/processes/processes.service';

/** A value as JSON carries it. */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends readonly (infer U)[]
      ? readonly Wire<U>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type { Decision, ProcessKind, ProcessStatus, Role, TaskStatus };
export type Me = Wire<AuthUser>;
export type Task = Wire<TaskEntity>;
export type Institution = Wire<InstitutionEntity>;
export type Organization = Wire<OrganizationEntity>;
export type Member = Wire<PartyMemberEntity>;
export type MemberHistory = Wire<MemberHistoryEntity>;
export type Delegation = Wire<DelegationEntity>;
export type User = Wire<UserEntity>;
export type SettingsAudit = Wire<SettingsAuditEntity>;
export type Process = Wire<ProcessView>;
export type ProcessDetail = Wire<Awaited<ReturnType<ProcessesService['get']>>>;
export type AdminProcessRow = Wire<AdminProcessRowDto>;
export type ProcessHistory = Wire<ProcessHistoryDto>;
export type OverdueReport = Wire<OverdueReportDto>;
export type QueueReport = Wire<QueueReportDto>;
export type QueueBoardSession = Wire<QueueBoardSessionDto>;
export type ImportResult = Wire<ImportResultDto>;
export type Compliance = Wire<ComplianceDto>;
export type Finding = Wire<FindingDto>;
export type CoverageReport = Wire<CoverageReportDto>;
export type Policy = Wire<PolicySettings>;
export type Calendar = Wire<WorkingCalendar>;
export type Budget = Wire<BudgetDto>;
export type Payment = Wire<PaymentDto>;
export type Adjustment = Wire<AdjustmentDto>;
export type Dispatch = Wire<DispatchEntity>;
export type DispatchDetail = Wire<DispatchDetailDto>;

/** One timeline event of GET /processes/:id (the service builds them from process_events). */
export interface TimelineEvent {
  at: string;
  step: string;
  actor: string | null;
  actorId: string | null;
  onBehalfOfId: string | null;
  action: string;
  comment: string | null;
  data: Record<string, unknown> | null;
}

/** A JSON Schema node as GET /process-kinds serves it (zod's toJSONSchema, OpenAPI 3.0 target). */
export interface JsonSchema {
  type?: string;
  title?: string;
  format?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  nullable?: boolean;
  anyOf?: JsonSchema[];
}

/** GET /process-kinds: its shape is process-kinds.controller.ts's describeKind. */
export interface KindStep {
  id: string;
  title: string;
  decidedBy: string;
  system: boolean;
  decisions: Decision[];
  dataSchema: JsonSchema | null;
}
export interface ProcessKindInfo {
  kind: ProcessKind;
  available: boolean;
  label?: string;
  summary?: string;
  payloadSchema?: JsonSchema;
  steps?: KindStep[];
}

export interface ApiErrorBody {
  statusCode: number;
  error?: string;
  message: string;
  /** Field errors `{field, message}`, or the policy's findings `{ruleId, severity, message, source}` of a refusal. */
  details?: Array<{ field?: string; message: string; ruleId?: string; severity?: string; source?: string }>;
}
