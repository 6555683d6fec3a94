import { AttachmentEntity } from './attachment.entity';
import { EmailActionTokenEntity } from './email-action-token.entity';
import { DelegationEntity } from './delegation.entity';
import { EmailOutboxEntity } from './email-outbox.entity';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { InstitutionEntity } from './institution.entity';
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
  DelegationEntity,
  EmailActionTokenEntity,
  EmailOutboxEntity,
  IdempotencyRecordEntity,
  InstitutionEntity,
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

export const ENTITIES = [
  AttachmentEntity,
  DelegationEntity,
  EmailActionTokenEntity,
  EmailOutboxEntity,
  IdempotencyRecordEntity,
  InstitutionEntity,
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
