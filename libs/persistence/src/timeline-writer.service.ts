import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ProcessEventEntity, UserEntity, type JsonObject } from './entities';

export interface TimelineEntry {
  eventKey: string;
  processId: string;
  step: string;
  actorId?: string | null;
  onBehalfOfId?: string | null;
  action: string;
  comment?: string | null;
  data?: JsonObject | null;
}

/** Appends to the audit trail; a repeated key (an activity retry) adds nothing. */
@Injectable()
export class TimelineWriter {
  async append(m: EntityManager, e: TimelineEntry): Promise<void> {
    const actor = e.actorId ? await m.getRepository(UserEntity).findOneBy({ id: e.actorId }) : null;
    await m
      .createQueryBuilder()
      .insert()
      .into(ProcessEventEntity)
      .values({
        processId: e.processId,
        eventKey: e.eventKey,
        at: new Date(),
        step: e.step,
        actorId: e.actorId ?? null,
        actorName: actor?.displayName ?? null,
        onBehalfOfId: e.onBehalfOfId ?? null,
        action: e.action,
        comment: e.comment ?? null,
        data: e.data ?? null,
      })
      .orIgnore()
      .execute();
  }
}
