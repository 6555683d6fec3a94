import { Module } from '@nestjs/common';
import { RecordController } from './record.controller';
import { RecordService } from './record.service';

/** The printable approval record (审批单) of a process. Read scope comes from AppModule's ProcessesService. */
@Module({
  controllers: [RecordController],
  providers: [RecordService],
})
export class RecordsModule {}
