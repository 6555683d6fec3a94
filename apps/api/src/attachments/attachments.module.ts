import { Module } from '@nestjs/common';
import { ActorsModule } from '../actors/actor-context.service';
import { ProcessesModule } from '../processes/processes.module';
import { AttachmentUploadInterceptor } from './attachment-upload.interceptor';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

/** Decision attachments; their read scope is the processes module's (as the record page's). */
@Module({
  imports: [ProcessesModule, ActorsModule],
  controllers: [AttachmentsController],
  providers: [AttachmentsService, AttachmentUploadInterceptor],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
