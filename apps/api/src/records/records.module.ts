import { Module } from '@nestjs/common';
import { ProcessesModule } from '../processes/processes.module';
import { RecordController } from './record.controller';
import { RecordService } from './record.service';

/** The printable approval record (审批单) of a process; its read scope is the processes module's. */
@Module({
  imports: [ProcessesModule],
  controllers: [RecordController],
  providers: [RecordService],
})
export class RecordsModule {}
