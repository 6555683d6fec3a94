import { Module } from '@nestjs/common';
import { NotificationsModule } from '@app/notifications';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** The operator's view of the API: Prometheus metrics (logging is set up in AppModule through nestjs-pino). */
@Module({
  imports: [NotificationsModule],
  controllers: [MetricsController],
  providers: [MetricsService],
  exports: [MetricsService],
})
export class ObservabilityModule {}
