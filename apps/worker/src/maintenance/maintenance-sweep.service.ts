import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';

/**
 * Periodic clean-up that every worker replica may run at any time (each statement is idempotent):
 * - decision attachments that no decision named, older than ORPHAN_ATTACHMENT_HOURS (default a day): uploads
 *   abandoned before deciding, which would otherwise keep their bytes in the database for ever;
 * - logged-out bearer tokens past their own expiry (they could not be used anyway).
 */
@Injectable()
export class MaintenanceSweepService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Maintenance');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.cfg.maintenanceSweepIntervalMs);
    this.timer.unref();
    void this.sweep();
  }

  async sweep(): Promise<{ attachments: number; revokedTokens: number }> {
    try {
      const [, attachments] = (await this.ds.query(
        `DELETE FROM attachments WHERE decision_id IS NULL AND created_at < now() - make_interval(hours => $1)`,
        [this.cfg.orphanAttachmentHours],
      )) as [unknown, number];
      const [, revokedTokens] = (await this.ds.query(`DELETE FROM revoked_tokens WHERE expires_at < now()`)) as [unknown, number];
      if (attachments > 0 || revokedTokens > 0) {
        this.logger.log(`removed ${attachments} unattached upload(s) older than ${this.cfg.orphanAttachmentHours} h, ${revokedTokens} expired revoked token(s)`);
      }
      return { attachments, revokedTokens };
    } catch (err) {
      this.logger.warn(`sweep failed: ${(err as Error).message}`);
      return { attachments: 0, revokedTokens: 0 };
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
