import { InitialSchema1764370000000 } from './1764370000000-initial-schema';
import { ImportNaturalKeys1764380000000 } from './1764380000000-import-natural-keys';
import { PolicyEngine1764400000000 } from './1764400000000-policy-engine';
import { EmailActionTokens1764500000000 } from './1764500000000-email-action-tokens';
import { ApprovalKernel1764600000000 } from './1764600000000-approval-kernel';
import { DecisionAttachments1764700000000 } from './1764700000000-decision-attachments';
import { SecretarySuccession1764710000000 } from './1764710000000-secretary-succession';
import { TimelineReferences1764720000000 } from './1764720000000-timeline-references';

/** Every migration, in order. New ones are appended here. */
export const MIGRATIONS = [InitialSchema1764370000000, ImportNaturalKeys1764380000000, PolicyEngine1764400000000, EmailActionTokens1764500000000, ApprovalKernel1764600000000, DecisionAttachments1764700000000, SecretarySuccession1764710000000, TimelineReferences1764720000000];
