import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { mergePolicySettings, type PolicySettings } from '@app/domain';
import { SettingEntity } from './entities';

/** Policy settings: the database row over the domain library's defaults. */
@Injectable()
export class SettingsService {
  constructor(@InjectRepository(SettingEntity) private readonly repo: Repository<SettingEntity>) {}

  async policy(): Promise<PolicySettings> {
    const row = await this.repo.findOne({ where: { key: 'policy' } });
    return mergePolicySettings((row?.value as Partial<PolicySettings> | undefined) ?? {});
  }
}
