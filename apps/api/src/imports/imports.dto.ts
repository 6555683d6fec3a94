import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class ImportQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true：导入正确的行，跳过有误的行；默认任何一行有误则整个文件不导入' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'partial 只能是 true 或 false' })
  partial?: 'true' | 'false';
}

export class TemplateQuery {
  @ApiPropertyOptional({ enum: ['xlsx', 'csv'], default: 'xlsx' })
  @IsOptional()
  @IsIn(['xlsx', 'csv'], { message: 'format 只能是 xlsx 或 csv' })
  format?: 'xlsx' | 'csv';
}

class RowErrorDto {
  @ApiProperty({ description: '表格行号（表头为第 1 行）' }) row!: number;
  @ApiProperty({ description: '列名（中文表头）' }) field!: string;
  @ApiProperty() message!: string;
}

export class ImportResultDto {
  @ApiProperty({ description: '已导入（新增、更新或已是最新）的行数；整个文件被拒绝时为 0' }) accepted!: number;
  @ApiProperty({ type: [RowErrorDto] }) rejected!: RowErrorDto[];
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty({ description: '校验通过的行数' }) valid!: number;
  @ApiProperty({ description: '数据行总数（不含表头与空行）' }) total!: number;
  @ApiProperty({ description: '是否写入了数据库' }) committed!: boolean;
  @ApiProperty() partial!: boolean;
}
