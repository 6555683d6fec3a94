import { Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { InstitutionEntity } from '@app/persistence';
import { isAdmin, type AuthUser } from './auth-user';

/**
 * Organization scoping. An approver acts for its organizations and reads everything below them (an organization's
 * descendants); an applicant reads the institutions it is listed for.
 */
@Injectable()
export class ScopeService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async orgScope(user: AuthUser): Promise<string[]> {
    if (user.organizationIds.length === 0) return [];
    const rows: Array<{ id: string }> = await this.ds.query(
      `WITH RECURSIVE tree AS (
         SELECT id FROM organizations WHERE id = ANY($1::uuid[])
         UNION SELECT o.id FROM organizations o JOIN tree t ON o.parent_id = t.id)
       SELECT id FROM tree`,
      [user.organizationIds],
    );
    return rows.map((r) => r.id);
  }

  async canReadInstitution(user: AuthUser, inst: InstitutionEntity): Promise<boolean> {
    if (isAdmin(user) || user.institutionIds.includes(inst.id)) return true;
    const orgs = new Set(await this.orgScope(user));
    return [inst.townshipOrgId, inst.sponsorOrgId, inst.publicBuilderOrgId, inst.partyOrganizationId].some((o) => o !== null && orgs.has(o));
  }

  /** SQL condition on an institutions alias, with its parameters, for list queries. */
  async institutionFilter(user: AuthUser, alias: string): Promise<{ sql: string; params: Record<string, unknown> } | null> {
    if (isAdmin(user)) return null;
    const orgs = await this.orgScope(user);
    return {
      sql: `(${alias}.id = ANY(:scopeInst) OR ${alias}.township_org_id = ANY(:scopeOrgs) OR ${alias}.sponsor_org_id = ANY(:scopeOrgs)
             OR ${alias}.public_builder_org_id = ANY(:scopeOrgs) OR ${alias}.party_organization_id = ANY(:scopeOrgs))`,
      params: { scopeInst: user.institutionIds, scopeOrgs: orgs },
    };
  }
}

@Module({ providers: [ScopeService], exports: [ScopeService] })
export class ScopeModule {}
