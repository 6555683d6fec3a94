import { Module } from '@nestjs/common';
import { ActorContextService } from '../tasks/actor-context.service';
import { AttachmentUploadInterceptor } from './attachment-upload.interceptor';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

/** Decision attachments. Read scope comes from AppModule's ProcessesService (as the record page's does). */
@Module({
  controllers: [AttachmentsController],
  providers: [AttachmentsService, ActorContextService, AttachmentUploadInterceptor],
})
export class AttachmentsModule {}
