import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { COVERAGE_KINDS, INSTITUTION_TYPES, REQUIRED_ACTIONS } from '@app/domain';

export class CoverageQuery {
  @ApiPropertyOptional({ description: '统计年度（默认为上海时间的当年），2000–2100', example: '2022' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'year 必须是 2000–2100 之间的整数年份' })
  year?: string;
}

export class CoverageTargetDto {
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2020-12-31' }) targetDate!: string | null;
  @ApiProperty({ enum: ['FIRM', 'ASPIRATIONAL', 'NONE'], description: 'FIRM 实现；ASPIRATIONAL 力争；NONE 只统计不设目标' }) firmness!: string;
}

class CountsDto {
  @ApiProperty() total!: number;
  @ApiProperty({ description: '组织覆盖：单独、联合或挂靠党组织' }) organisationCovered!: number;
  @ApiProperty({ description: '工作覆盖：组织覆盖，或党建工作指导员、群团组织' }) workCovered!: number;
  @ApiProperty({ description: '全覆盖：有工作人员正式党员的实现组织覆盖，没有的实现工作覆盖' }) met!: number;
  @ApiProperty() short!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'met / total，百分比，保留一位小数' }) metPercent!: number | null;
}

export class CoverageTotalsDto extends CountsDto {
  @ApiProperty({ description: '本年度目标已到期的机构数' }) targetTotal!: number;
  @ApiProperty({ description: '其中已实现全覆盖的' }) targetMet!: number;
}

export class CoverageByTypeDto extends CountsDto {
  @ApiProperty({ enum: INSTITUTION_TYPES }) type!: string;
  @ApiProperty({ type: CoverageTargetDto }) target!: CoverageTargetDto;
  @ApiProperty({ description: '该类机构的覆盖目标在本统计年度已到期' }) targetApplies!: boolean;
}

export class CoverageByDistrictDto extends CoverageTotalsDto {
  @ApiProperty() district!: string;
}

export class CoverageGroupDto extends CountsDto {
  @ApiProperty({ enum: INSTITUTION_TYPES }) type!: string;
  @ApiProperty() district!: string;
  @ApiProperty() targetApplies!: boolean;
}

export class ShortInstitutionDto {
  @ApiProperty({ format: 'uuid' }) institutionId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: INSTITUTION_TYPES }) type!: string;
  @ApiProperty() district!: string;
  @ApiProperty({ type: CoverageTargetDto }) target!: CoverageTargetDto;
  @ApiProperty({ enum: REQUIRED_ACTIONS }) requiredAction!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) responsibleBodyId!: string | null;
  @ApiProperty() fullStaffMembers!: number;
  @ApiProperty() fullElderlyMembers!: number;
  @ApiProperty({ enum: COVERAGE_KINDS }) coverageKind!: string;
}

export class CoverageReportDto {
  @ApiProperty({ example: 2022 }) year!: number;
  @ApiProperty({ description: '读取登记数据的日期（Asia/Shanghai）' }) asOf!: string;
  @ApiProperty({ type: CoverageTotalsDto }) totals!: CoverageTotalsDto;
  @ApiProperty({ type: [CoverageByTypeDto] }) byType!: CoverageByTypeDto[];
  @ApiProperty({ type: [CoverageByDistrictDto] }) byDistrict!: CoverageByDistrictDto[];
  @ApiProperty({ type: [CoverageGroupDto], description: '按机构类型 × 区县' }) groups!: CoverageGroupDto[];
  @ApiProperty({ type: [ShortInstitutionDto], description: '目标已到期而未实现全覆盖的机构及其应采取的措施' }) shortOfTarget!: ShortInstitutionDto[];
}
