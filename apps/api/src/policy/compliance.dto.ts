import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COVERAGE_KINDS, DISPATCH_ROLES, REQUIRED_ACTIONS, SEVERITIES, TERM_STATUSES, TRANSFER_EXEMPT_REASONS } from '@app/domain';

export class FindingDto {
  @ApiProperty({ example: 'R4' }) ruleId!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ example: '工作人员正式党员 3 名（预备党员不计入），达到 3 名，应单独建立党组织。' }) message!: string;
  @ApiProperty({ description: '规则出处：政策原文语句', example: '有3名及3名以上工作人员党员的养老机构，都要单独建立党组织，并按期进行换届' }) source!: string;
}

export class TransferExemptDto {
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty({ enum: TRANSFER_EXEMPT_REASONS, isArray: true }) reasons!: string[];
}

export class StaffTransferDueDto {
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: '应完成转接的日期（入职后 90 天）；入职日期未登记时为 null' }) dueBy!: string | null;
  @ApiProperty({ description: '已过应完成日期仍未转入' }) overdue!: boolean;
  @ApiProperty({ description: '已有进行中的组织关系转接流程' }) underWay!: boolean;
}

export class CoverageStatusDto {
  @ApiProperty({ description: '组织覆盖：单独、联合或挂靠党组织' }) organisation!: boolean;
  @ApiProperty({ description: '工作覆盖：组织覆盖，或党建工作指导员、群团组织' }) work!: boolean;
  @ApiProperty({ enum: COVERAGE_KINDS }) kind!: string;
}

export class DispatchWeekDto {
  @ApiProperty({ example: '2026-W05' }) week!: string;
  @ApiProperty({ enum: ['MET', 'MISSED', 'EXEMPT'], description: '达标 / 缺勤 / 免考核（请假、节假日周）' }) status!: string;
}

export class DispatchCardDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: DISPATCH_ROLES }) role!: string;
  @ApiProperty() personName!: string;
  @ApiProperty({ enum: ['ACTIVE', 'ENDED'] }) status!: string;
  @ApiProperty({ format: 'date' }) fromDate!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) toDate!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) endedOn!: string | null;
  @ApiProperty({ description: '截至最近评定周连续缺勤的周数' }) consecutiveMissed!: number;
  @ApiProperty({ type: [DispatchWeekDto], description: '最近 8 个已评定的周' }) weeks!: DispatchWeekDto[];
}

export class ComplianceDto {
  @ApiProperty({ format: 'uuid' }) institutionId!: string;
  @ApiProperty({ description: '判断所依据的日期（Asia/Shanghai）', example: '2026-11-29' }) asOf!: string;
  @ApiProperty({ enum: REQUIRED_ACTIONS, description: 'R4/R5/R6：当前需要采取的唯一措施' }) requiredAction!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'R1–R3b：负责管理（审批）的组织' }) responsibleBodyId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '覆盖本机构的党组织（单独或联合）' }) partyOrganizationId!: string | null;
  @ApiProperty({ description: '工作人员正式党员数（预备党员不计入）' }) fullStaffMembers!: number;
  @ApiProperty({ description: '在院老年人正式党员数' }) fullElderlyMembers!: number;
  @ApiProperty({ description: 'R7：可成立老年人党支部' }) elderlyBranchEligible!: boolean;
  @ApiProperty({ type: [String], description: 'R11：组织关系应转入的工作人员党员 id' }) transfersDue!: string[];
  @ApiProperty({ type: [StaffTransferDueDto], description: 'R11：应转入的组织关系，含应完成日期、是否逾期、是否已在转接中' }) transfers!: StaffTransferDueDto[];
  @ApiProperty({ type: [TransferExemptDto], description: 'R12：一般不转移组织关系的老年人党员' }) transferExempt!: TransferExemptDto[];
  @ApiProperty({ type: CoverageStatusDto }) coverage!: CoverageStatusDto;
  @ApiProperty({ enum: TERM_STATUSES, nullable: true }) termStatus!: string | null;
  @ApiPropertyOptional({ enum: DISPATCH_ROLES, nullable: true, description: 'R8：公建方当前应选派的角色' }) dispatchRoleDue!: string | null;
  @ApiProperty({ type: [FindingDto] }) findings!: FindingDto[];
  @ApiProperty({ type: [DispatchCardDto], description: 'R8/R9：选派到本机构的书记、第一书记、党建工作指导员及其每周驻点评定' }) dispatches!: DispatchCardDto[];
}
