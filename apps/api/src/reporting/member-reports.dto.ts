import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class CreateMemberReportDto {
  @ApiProperty({ format: 'uuid', description: '报到的党组织：党员所在机构的党组织或其老年人党支部' })
  @IsUUID('all', { message: 'organizationId 必须是 UUID' })
  organizationId!: string;
  @ApiPropertyOptional({ maxLength: 500, example: '每月参加老年人党支部组织生活' })
  @IsOptional()
  @IsString()
  @MaxLength(500, { message: 'note 最多 500 个字' })
  note?: string;
}

export class MemberReportDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) memberId!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ format: 'uuid' }) institutionId!: string;
  @ApiProperty({ type: String, nullable: true }) note!: string | null;
  @ApiProperty({ format: 'date', description: '报到日期（Asia/Shanghai）' }) reportedOn!: string;
  @ApiProperty({ format: 'uuid', description: '登记人（新成立的老年人党支部登记时为系统账户）' }) recordedById!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '登记报到的流程（成立老年人党支部）' }) processId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: Date;
}
