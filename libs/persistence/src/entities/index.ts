import { AttachmentEntity } from './attachment.entity';
import { MemberHistoryEntity, RevokedTokenEntity, UserAuditEntity } from './audit.entities';
import { EmailActionTokenEntity } from './email-action-token.entity';
import { DelegationEntity } from './delegation.entity';
import { DispatchAlertEntity, DispatchEntity, DutyLogEntity, DutyWeekEntity } from './dispatch.entities';
import { EmailOutboxEntity } from './email-outbox.entity';
import { BudgetEntity, BudgetExpenseEntity, BudgetLineEntity, StipendAdjustmentEntity, StipendPaymentEntity } from './funds.entities';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { InstitutionEntity } from './institution.entity';
import { MemberReportEntity } from './member-report.entity';
import { OrganizationEntity } from './organization.entity';
import { PartyMemberEntity } from './party-member.entity';
import { ProcessEventEntity } from './process-event.entity';
import { ProcessEntity } from './process.entity';
import { SecretaryChangeEntity } from './secretary-change.entity';
import { SettingEntity } from './setting.entity';
import { SettingsAuditEntity } from './settings-audit.entity';
import { TaskEntity } from './task.entity';
import { UserEntity } from './user.entity';

export {
  AttachmentEntity,
  BudgetEntity,
  BudgetExpenseEntity,
  BudgetLineEntity,
  StipendPaymentEntity,
  StipendAdjustmentEntity,
  MemberHistoryEntity,
  RevokedTokenEntity,
  UserAuditEntity,
  DelegationEntity,
  DispatchAlertEntity,
  DispatchEntity,
  DutyLogEntity,
  DutyWeekEntity,
  EmailActionTokenEntity,
  EmailOutboxEntity,
  IdempotencyRecordEntity,
  InstitutionEntity,
  MemberReportEntity,
  OrganizationEntity,
  PartyMemberEntity,
  ProcessEventEntity,
  ProcessEntity,
  SecretaryChangeEntity,
  SettingEntity,
  SettingsAuditEntity,
  TaskEntity,
  UserEntity,
};
export type { JsonObject } from './json';
export type { OutboxStatus } from './email-outbox.entity';
export type { SettingChange } from './settings-audit.entity';
export type { FieldChange } from './audit.entities';

export const ENTITIES = [
  AttachmentEntity,
  BudgetEntity,
  BudgetExpenseEntity,
  BudgetLineEntity,
  StipendPaymentEntity,
  StipendAdjustmentEntity,
  MemberHistoryEntity,
  RevokedTokenEntity,
  UserAuditEntity,
  DelegationEntity,
  DispatchAlertEntity,
  DispatchEntity,
  DutyLogEntity,
  DutyWeekEntity,
  EmailActionTokenEntity,
  EmailOutboxEntity,
  IdempotencyRecordEntity,
  InstitutionEntity,
  MemberReportEntity,
  OrganizationEntity,
  PartyMemberEntity,
  ProcessEventEntity,
  ProcessEntity,
  SecretaryChangeEntity,
  SettingEntity,
  SettingsAuditEntity,
  TaskEntity,
  UserEntity,
];
