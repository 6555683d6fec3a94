import { Module } from '@nestjs/common';
import { NotificationsModule } from '@app/notifications';
import { AdminProcessesController } from './admin-processes.controller';
import { AdminProcessesService } from './admin-processes.service';
import { OverdueController } from './overdue.controller';
import { OverdueService } from './overdue.service';
import { QueueMonitorService } from './queue-monitor.service';
import { QueuesController } from './queues.controller';
import { WorkflowStateService } from './workflow-state.service';

/**
 * Admin monitoring (Operate-style): live workflow state and histories from Temporal beside the database view,
 * overdue work, and the email queue. Read-only. The coverage dashboard (admin/coverage) lives in PolicyModule.
 */
@Module({
  // The same NotificationsModule instance as AppModule's: one queue connection per process.
  imports: [NotificationsModule],
  controllers: [AdminProcessesController, OverdueController, QueuesController],
  providers: [AdminProcessesService, WorkflowStateService, OverdueService, QueueMonitorService],
})
export class AdminModule {}
