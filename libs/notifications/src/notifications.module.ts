import { Module } from '@nestjs/common';
import { MailTransportService } from './mail-transport.service';
import { NotificationService } from './notification.service';

/** Producer side (API and worker): outbox + queue + transport for health checks. */
@Module({
  providers: [NotificationService, MailTransportService],
  exports: [NotificationService, MailTransportService],
})
export class NotificationsModule {}
