import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '@app/domain';

export class CreateUserDto {
  @ApiProperty() @IsString() @Matches(/^[A-Za-z0-9_.-]{3,64}$/, { message: 'username 只能包含字母、数字、下划线、点和短横线，长度 3-64' }) username!: string;
  @ApiProperty() @IsString() @MinLength(8, { message: 'password 至少 8 位' }) @MaxLength(200) password!: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(100) displayName!: string;
  @ApiProperty() @IsEmail({}, { message: 'email 不是有效的邮箱地址' }) email!: string;
  @ApiProperty({ enum: ROLES, isArray: true }) @IsArray() @ArrayUnique() @IsIn(ROLES, { each: true }) roles!: Role[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayUnique() @IsUUID('all', { each: true }) organizationIds?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayUnique() @IsUUID('all', { each: true }) institutionIds?: string[];
  @ApiPropertyOptional({ type: String, nullable: true, description: '该用户本人对应的党员（每名党员至多关联一个用户）；null 解除关联' })
  @IsOptional()
  @IsUUID('all', { message: 'memberId 必须是党员 id' })
  memberId?: string | null;
}

export class UpdateUserDto extends PartialType(CreateUserDto) {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}
