import { ApiProperty } from '@nestjs/swagger';

export class SettingChangeDto {
  @ApiProperty({ example: 'termYears.BRANCH' }) path!: string;
  @ApiProperty({ description: '修改前的生效值' }) before!: unknown;
  @ApiProperty({ description: '修改后的生效值' }) after!: unknown;
}

export class SettingsAuditDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'policy' }) settingKey!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) changedById!: string | null;
  @ApiProperty({ example: '系统管理员 (admin)' }) changedByName!: string;
  @ApiProperty({ description: '请求提交的部分设置', type: 'object', additionalProperties: true }) patch!: unknown;
  @ApiProperty({ type: [SettingChangeDto] }) changes!: SettingChangeDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class SettingsAuditPageDto {
  @ApiProperty({ type: [SettingsAuditDto] }) items!: SettingsAuditDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
