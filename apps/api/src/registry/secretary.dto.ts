import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class ChangeSecretaryDto {
  @ApiProperty({ description: '新任书记（党员 id），须属于该组织' })
  @IsUUID('all', { message: 'secretaryMemberId 必须是党员 id' })
  secretaryMemberId!: string;

  @ApiPropertyOptional({ description: '说明，例如换届选举的会议' }) @IsOptional() @IsString() @MaxLength(500) comment?: string;

  @ApiPropertyOptional({ default: true, description: '前任书记的用户是否离开该组织（其 organizationIds 去掉该组织）' })
  @IsOptional()
  @IsBoolean()
  predecessorLeaves?: boolean;
}
