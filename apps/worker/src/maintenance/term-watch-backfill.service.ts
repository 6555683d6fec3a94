import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TermWatchStarter } from '../activities/term-watch.activities';

/**
 * At worker start-up: a term watch for every party organisation that has none (organisations registered before the
 * watch existed, or imported). Idempotent: a running watch is left alone (its workflow id is the organisation's).
 * Runs in the background; a failure is logged and retried at the next start.
 */
@Injectable()
export class TermWatchBackfillService implements OnApplicationBootstrap {
  private readonly logger = new Logger('TermWatch');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly starter: TermWatchStarter,
  ) {}

  onApplicationBootstrap(): void {
    void this.starter.backfill(this.ds).catch((err: unknown) => this.logger.warn(`term watch back-fill failed: ${(err as Error).message}`));
  }
}
