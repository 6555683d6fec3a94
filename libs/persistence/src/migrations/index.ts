import { InitialSchema1764370000000 } from './1764370000000-initial-schema';
import { ImportNaturalKeys1764380000000 } from './1764380000000-import-natural-keys';
import { PolicyEngine1764400000000 } from './1764400000000-policy-engine';
import { EmailActionTokens1764500000000 } from './1764500000000-email-action-tokens';
import { ApprovalKernel1764600000000 } from './1764600000000-approval-kernel';
import { DecisionAttachments1764700000000 } from './1764700000000-decision-attachments';
import { SecretarySuccession1764710000000 } from './1764710000000-secretary-succession';
import { TimelineReferences1764720000000 } from './1764720000000-timeline-references';
import { SecurityHardening1764800000000 } from './1764800000000-security-hardening';
import { ActivityAlerts1764820000000 } from './1764820000000-activity-alerts';
import { ProcessKinds1764821000000 } from './1764821000000-process-kinds';
import { SystemUser1764822000000 } from './1764822000000-system-user';
import { PolicySettingShapes1764840000000 } from './1764840000000-policy-setting-shapes';
import { JointOrganizations1764850000000 } from './1764850000000-joint-organizations';
import { RelationTransfer1764860000000 } from './1764860000000-relation-transfer';
import { PartyWorkFunds1764880000000 } from './1764880000000-party-work-funds';
import { SecretaryDispatch1764890000000 } from './1764890000000-secretary-dispatch';
import { SecretarySource1764890100000 } from './1764890100000-secretary-source';
import { TermRenewal1764870000000 } from './1764870000000-term-renewal';
import { StipendAdjustments1764895000000 } from './1764895000000-stipend-adjustments';

/** Every migration, in order. New ones are appended here. */
export const MIGRATIONS = [
  InitialSchema1764370000000,
  ImportNaturalKeys1764380000000,
  PolicyEngine1764400000000,
  EmailActionTokens1764500000000,
  ApprovalKernel1764600000000,
  DecisionAttachments1764700000000,
  SecretarySuccession1764710000000,
  TimelineReferences1764720000000,
  SecurityHardening1764800000000,
  ActivityAlerts1764820000000,
  ProcessKinds1764821000000,
  SystemUser1764822000000,
  PolicySettingShapes1764840000000,
  JointOrganizations1764850000000,
  RelationTransfer1764860000000,
  PartyWorkFunds1764880000000,
  SecretaryDispatch1764890000000,
  SecretarySource1764890100000,
  TermRenewal1764870000000,
  StipendAdjustments1764895000000,
];
