import { Module } from '@nestjs/common';
import { ImportTemplateService } from './import-template.service';
import { ImportsController } from './imports.controller';
import { InstitutionImportService } from './institution-import.service';
import { MemberImportService } from './member-import.service';
import { SpreadsheetUploadInterceptor } from './spreadsheet-upload.interceptor';

/** Spreadsheet imports of institutions and members (.xlsx/.csv, Chinese headers) with downloadable templates. */
@Module({
  controllers: [ImportsController],
  providers: [InstitutionImportService, MemberImportService, ImportTemplateService, SpreadsheetUploadInterceptor],
})
export class ImportsModule {}
