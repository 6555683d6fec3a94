import { applyDecorators, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Role } from '@app/domain';
import { actorOf, CurrentUser, isAdmin, Roles, type AuthUser } from '../common/auth-user';
import { fieldError, forbidden, notFound } from '../common/errors';
import { COLUMNS_OF, IMPORT_KINDS, TEMPLATE_TITLES, type ImportKind } from './import-columns';
import { attachmentHeader, ImportTemplateService } from './import-template.service';
import type { ImportResult, SheetRow } from './import.types';
import { ImportQuery, ImportResultDto, TemplateQuery } from './imports.dto';
import { InstitutionImportService } from './institution-import.service';
import { MemberImportService } from './member-import.service';
import { SpreadsheetUploadInterceptor } from './spreadsheet-upload.interceptor';
import { detectFormat, readSheet } from './spreadsheet.reader';

const UPLOAD_BODY = {
  schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: '.xlsx 或 .csv（UTF-8 或 GB18030），不超过 10 MB' } } },
};

/** A multipart spreadsheet upload, answered with the per-row report. */
const SpreadsheetImport = (...roles: Role[]): MethodDecorator =>
  applyDecorators(
    Roles(...roles),
    HttpCode(200),
    UseInterceptors(SpreadsheetUploadInterceptor),
    ApiConsumes('multipart/form-data'),
    ApiBody(UPLOAD_BODY),
    ApiOkResponse({ type: ImportResultDto }),
  );

/**
 * Spreadsheet imports. The answer is always the per-row report (200), also when a bad row made the whole file
 * be refused (`committed: false`); only a file that cannot be read at all is a 400. Institutions are an admin's;
 * an institution's applicants import its members (a row for another institution is refused on that row).
 */
@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly institutions: InstitutionImportService,
    private readonly members: MemberImportService,
    private readonly templates: ImportTemplateService,
  ) {}

  @Post('institutions')
  @SpreadsheetImport('ADMIN')
  async importInstitutions(@Req() req: Request, @Query() q: ImportQuery): Promise<ImportResult> {
    return this.institutions.run(await this.rowsOf(req, 'institutions'), q.partial === 'true');
  }

  @Post('members')
  @SpreadsheetImport('ADMIN', 'APPLICANT')
  async importMembers(@CurrentUser() user: AuthUser, @Req() req: Request, @Query() q: ImportQuery): Promise<ImportResult> {
    return this.members.run(await this.rowsOf(req, 'members'), q.partial === 'true', actorOf(user), isAdmin(user) ? undefined : user.institutionIds);
  }

  @Get('templates/:name')
  @Roles('ADMIN', 'APPLICANT')
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv')
  @ApiQuery({ name: 'format', required: false, enum: ['xlsx', 'csv'] })
  async template(@CurrentUser() user: AuthUser, @Param('name') name: string, @Query() q: TemplateQuery, @Res() res: Response): Promise<void> {
    if (!(IMPORT_KINDS as readonly string[]).includes(name)) throw notFound('导入模板');
    const kind = name as ImportKind;
    if (kind !== 'members' && !isAdmin(user)) throw forbidden('只有管理员可以导入机构');
    const format = q.format ?? 'xlsx';
    const body = format === 'csv' ? await this.templates.csv(kind) : await this.templates.xlsx(kind);
    res
      .status(200)
      .setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .setHeader('Content-Disposition', attachmentHeader(`${kind}-template.${format}`, `${TEMPLATE_TITLES[kind]}.${format}`))
      .setHeader('Cache-Control', 'no-store')
      .send(body);
  }

  private async rowsOf(req: Request, kind: ImportKind): Promise<SheetRow[]> {
    const file = req.file;
    if (!file) throw fieldError('file', '请通过 multipart/form-data 的 file 字段上传 .xlsx 或 .csv 文件');
    if (file.size === 0) throw fieldError('file', '文件为空');
    // Only the (ASCII) extension of the name is used, so how multer decoded a Chinese file name does not matter.
    return readSheet(detectFormat(file.originalname, file.buffer), file.buffer, COLUMNS_OF[kind]);
  }
}
