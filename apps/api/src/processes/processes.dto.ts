import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PROCESS_KINDS, PROCESS_STATUSES, type ProcessKind, type ProcessStatus } from '@app/domain';
import { PageQuery } from '../common/pagination';

export class WithdrawDto {
  @ApiProperty() @IsString() @MaxLength(500) reason!: string;
}

export class ProcessQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PROCESS_KINDS }) @IsOptional() @IsIn(PROCESS_KINDS) kind?: ProcessKind;
  @ApiPropertyOptional({ enum: PROCESS_STATUSES }) @IsOptional() @IsIn(PROCESS_STATUSES) status?: ProcessStatus;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'institutionId 必须是 UUID' }) institutionId?: string;
  @ApiPropertyOptional({ enum: ['APPLIED', 'CC'], description: 'APPLIED：本人发起的；CC：抄送本人所在组织的' })
  @IsOptional()
  @IsIn(['APPLIED', 'CC'], { message: 'involvement 只能是 APPLIED 或 CC' })
  involvement?: 'APPLIED' | 'CC';
}
