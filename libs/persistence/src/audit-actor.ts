import type { DataSource, EntityManager } from 'typeorm';

/** Who makes a change, as the audit triggers record it (`user_audit`, `member_history`). */
export interface AuditActor {
  id: string | null;
  name: string;
}

/**
 * Runs `work` in a transaction whose audit triggers record `actor` (and, for member history, `source`) as the
 * author of every change it makes. The settings are transaction-local: they end with it.
 */
export function withActor<T>(ds: DataSource, actor: AuditActor, source: string, work: (m: EntityManager) => Promise<T>): Promise<T> {
  return ds.transaction(async (m) => {
    await setActor(m, actor, source);
    return work(m);
  });
}

/** The same inside a transaction the caller already holds. */
export async function setActor(m: EntityManager, actor: AuditActor, source: string): Promise<void> {
  await m.query(`SELECT set_config('app.actor_id', $1, true), set_config('app.actor_name', $2, true), set_config('app.change_source', $3, true)`, [
    actor.id ?? '',
    actor.name,
    source,
  ]);
}
