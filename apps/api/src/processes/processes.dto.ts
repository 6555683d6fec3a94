import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { PROCESS_KINDS, PROCESS_STATUSES, type ProcessKind, type ProcessStatus } from '@app/domain';
import { PageQuery } from '../common/pagination';

export class EstablishBranchDto {
  @ApiProperty() @IsUUID('all', { message: 'institutionId 必须是 UUID' }) institutionId!: string;
  @ApiProperty({ example: 'XX养老院党支部' }) @IsString() @MinLength(2, { message: 'name 至少 2 个字' }) @MaxLength(100) name!: string;
  @ApiProperty({ type: [String], description: '将编入该支部的党员' })
  @IsArray()
  @ArrayMinSize(1, { message: 'memberIds 不能为空' })
  @ArrayMaxSize(500)
  @ArrayUnique({ message: 'memberIds 不能重复' })
  @IsUUID('all', { each: true, message: 'memberIds 中每一项都必须是 UUID' })
  memberIds!: string[];
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'secretaryMemberId 必须是 UUID' }) secretaryMemberId?: string;
  @ApiPropertyOptional({ description: 'true 申请成立老年人党支部' }) @IsOptional() @IsBoolean() elderly?: boolean;
}

export class WithdrawDto {
  @ApiProperty() @IsString() @MaxLength(500) reason!: string;
}

export class ProcessQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PROCESS_KINDS }) @IsOptional() @IsIn(PROCESS_KINDS) kind?: ProcessKind;
  @ApiPropertyOptional({ enum: PROCESS_STATUSES }) @IsOptional() @IsIn(PROCESS_STATUSES) status?: ProcessStatus;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'institutionId 必须是 UUID' }) institutionId?: string;
}
