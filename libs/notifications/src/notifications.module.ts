import { Module } from '@nestjs/common';
import { EmailActionTokensService } from './email-action-tokens.service';
import { MailTransportService } from './mail-transport.service';
import { NotificationService } from './notification.service';

/** Producer side (API and worker): outbox + queue + transport for health checks. */
@Module({
  providers: [NotificationService, MailTransportService, EmailActionTokensService],
  exports: [NotificationService, MailTransportService, EmailActionTokensService],
})
export class NotificationsModule {}
