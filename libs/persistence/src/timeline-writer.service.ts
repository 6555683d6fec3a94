import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { JsonObject } from './entities';

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

/**
 * Appends to the audit trail; a repeated key (an activity retry) adds nothing. One statement: the actor's name is
 * read in the insert itself (the trail keeps the name the person had when they acted).
 */
@Injectable()
export class TimelineWriter {
  async append(m: EntityManager, e: TimelineEntry): Promise<void> {
    await m.query(
      `INSERT INTO process_events (process_id, event_key, at, step, actor_id, actor_name, on_behalf_of_id, action, comment, data)
       VALUES ($1, $2, clock_timestamp(), $3, $4, (SELECT display_name FROM users WHERE id = $4), $5, $6, $7, $8)
       ON CONFLICT (event_key) DO NOTHING`,
      [e.processId, e.eventKey, e.step, e.actorId ?? null, e.onBehalfOfId ?? null, e.action, e.comment ?? null, e.data === undefined || e.data === null ? null : JSON.stringify(e.data)],
    );
  }
}
