import type { EntityManager } from 'typeorm';
import { UserEntity } from '@app/persistence';

/**
 * The account of the party member `memberId` (if they have an active one) becomes an APPROVER of the organisation:
 * a secretary acts for the organisation they lead. Idempotent. Returns the account's id.
 */
export async function makeApproverOf(m: EntityManager, memberId: string, orgId: string): Promise<string | null> {
  const user = await m.getRepository(UserEntity).findOneBy({ memberId, active: true });
  if (!user) return null;
  await m.query(
    `UPDATE users SET
       organization_ids = CASE WHEN $2::uuid = ANY(organization_ids) THEN organization_ids ELSE array_append(organization_ids, $2::uuid) END,
       roles = CASE WHEN 'APPROVER' = ANY(roles) THEN roles ELSE array_append(roles, 'APPROVER') END,
       updated_at = now()
     WHERE id = $1 AND NOT ($2::uuid = ANY(organization_ids) AND 'APPROVER' = ANY(roles))`,
    [user.id, orgId],
  );
  return user.id;
}
