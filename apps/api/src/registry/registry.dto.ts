import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import {
  INSTITUTION_TYPES,
  MANAGED_BY_OPTIONS,
  MANAGING_ORG_KINDS,
  MEMBER_CATEGORIES,
  MEMBER_STATUSES,
  type InstitutionType,
  type ManagedBy,
  type ManagingOrgKind,
  type MemberCategory,
  type MemberStatus,
} from '@app/domain';
import { PageQuery } from '../common/pagination';
import { INT4_MAX, IsIsoDate } from '../common/validators';

export class CreateOrganizationDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ enum: MANAGING_ORG_KINDS, description: '机构党组织（BRANCH 等）由流程创建，不能直接新建' })
  @IsIn(MANAGING_ORG_KINDS, { message: `kind 必须是 ${MANAGING_ORG_KINDS.join('、')} 之一` })
  kind!: ManagingOrgKind;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'parentId 必须是 UUID' }) parentId?: string;
}

export class CreateInstitutionDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ enum: INSTITUTION_TYPES }) @IsIn(INSTITUTION_TYPES, { message: `type 必须是 ${INSTITUTION_TYPES.join('、')} 之一` }) type!: InstitutionType;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) district!: string;
  @ApiProperty() @IsUUID('all', { message: 'townshipOrgId 必须是 UUID' }) townshipOrgId!: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'sponsorOrgId 必须是 UUID' }) sponsorOrgId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'publicBuilderOrgId 必须是 UUID' }) publicBuilderOrgId?: string;
  @ApiPropertyOptional({ enum: MANAGED_BY_OPTIONS }) @IsOptional() @IsIn(MANAGED_BY_OPTIONS) managedBy?: ManagedBy;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) operatorName?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: INT4_MAX }) @IsOptional() @IsInt() @Min(0) @Max(INT4_MAX) bedCount?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: INT4_MAX }) @IsOptional() @IsInt() @Min(0) @Max(INT4_MAX) residentCount?: number;
  @ApiPropertyOptional({ description: '已选派党建工作指导员（工作覆盖）' }) @IsOptional() @IsBoolean() hasInstructor?: boolean;
  @ApiPropertyOptional({ description: '已组建工会、妇联、共青团等群团组织（工作覆盖）' }) @IsOptional() @IsBoolean() hasMassOrganisation?: boolean;
}

/** PATCH: a field left out is kept; `null` clears it where the OpenAPI document marks it nullable (400 elsewhere). */
export class UpdateInstitutionDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) district?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'townshipOrgId 必须是 UUID' }) townshipOrgId?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null 清除（公办养老机构不可清除）' })
  @IsOptional()
  @IsUUID('all', { message: 'sponsorOrgId 必须是 UUID' })
  sponsorOrgId?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null 清除（公建民营养老机构不可清除）' })
  @IsOptional()
  @IsUUID('all', { message: 'publicBuilderOrgId 必须是 UUID' })
  publicBuilderOrgId?: string | null;
  @ApiPropertyOptional({ enum: MANAGED_BY_OPTIONS, nullable: true, description: 'null 清除' }) @IsOptional() @IsIn(MANAGED_BY_OPTIONS) managedBy?: ManagedBy | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null 清除' }) @IsOptional() @IsString() @MaxLength(200) operatorName?: string | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 0, maximum: INT4_MAX, description: 'null 清除' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(INT4_MAX)
  bedCount?: number | null;
  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 0, maximum: INT4_MAX, description: 'null 清除' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(INT4_MAX)
  residentCount?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() hasInstructor?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() hasMassOrganisation?: boolean;
}

export class InstitutionQuery extends PageQuery {
  @ApiPropertyOptional({ enum: INSTITUTION_TYPES }) @IsOptional() @IsIn(INSTITUTION_TYPES) type?: InstitutionType;
  @ApiPropertyOptional() @IsOptional() @IsString() district?: string;
}

export class CreateMemberDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty() @IsUUID('all', { message: 'institutionId 必须是 UUID' }) institutionId!: string;
  @ApiProperty({ enum: MEMBER_CATEGORIES }) @IsIn(MEMBER_CATEGORIES, { message: 'category 必须是 STAFF 或 ELDERLY' }) category!: MemberCategory;
  @ApiProperty({ enum: MEMBER_STATUSES }) @IsIn(MEMBER_STATUSES, { message: 'status 必须是 FULL 或 PROBATIONARY' }) status!: MemberStatus;
  @ApiPropertyOptional({ format: 'date', example: '1950-01-31' }) @IsOptional() @IsIsoDate({ message: 'birthDate 必须是 YYYY-MM-DD 日期' }) birthDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() dementia?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'relationOrgId 必须是 UUID' }) relationOrgId?: string;
  @ApiPropertyOptional({ format: 'date', example: '2025-03-01', description: '入职（工作人员）或入住（老年人）日期；工作人员组织关系应在其后 90 天内转入（R11）' })
  @IsOptional()
  @IsIsoDate({ message: 'joinedAt 必须是 YYYY-MM-DD 日期' })
  joinedAt?: string;
}

export class UpdateMemberDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ enum: MEMBER_CATEGORIES }) @IsOptional() @IsIn(MEMBER_CATEGORIES) category?: MemberCategory;
  @ApiPropertyOptional({ enum: MEMBER_STATUSES }) @IsOptional() @IsIn(MEMBER_STATUSES) status?: MemberStatus;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, example: '1950-01-31', description: 'null 清除' })
  @IsOptional()
  @IsIsoDate({ message: 'birthDate 必须是 YYYY-MM-DD 日期' })
  birthDate?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() disabled?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() dementia?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'relationOrgId 必须是 UUID' }) relationOrgId?: string;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, example: '2025-03-01', description: '入职（入住）日期；null 清除' })
  @IsOptional()
  @IsIsoDate({ message: 'joinedAt 必须是 YYYY-MM-DD 日期' })
  joinedAt?: string | null;
}

export class MemberQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'institutionId 必须是 UUID' }) institutionId?: string;
}
