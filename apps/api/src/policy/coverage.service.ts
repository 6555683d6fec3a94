import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { toCalendarDate } from '@app/domain';
import { SettingsService } from '@app/persistence';
import { buildCoverageReport, type CoverageInstitutionRow, type CoverageReport } from './coverage-report';

/**
 * One row per institution with its FULL staff, all staff party members (R5/R6: probationary ones are party members)
 * and FULL elderly counts (one GROUP BY over party_members), the kind of the organisation covering it and the
 * parent of its township organisation (R3b). Two queries in all (this and the settings), whatever the registry size.
 */
const COVERAGE_SQL = `
  SELECT i.id, i.name, i.type, i.district,
         i.township_org_id AS "townshipOrgId", t.parent_id AS "townshipParentOrgId", i.sponsor_org_id AS "sponsorOrgId",
         i.public_builder_org_id AS "publicBuilderOrgId", i.managed_by AS "managedBy",
         i.party_organization_id AS "partyOrganizationId", o.kind AS "orgKind",
         COALESCE(i.has_instructor, false) AS "hasInstructor",
         COALESCE(i.has_mass_organisation, false) AS "hasMassOrganisation",
         COALESCE(m.full_staff, 0)::int AS "fullStaff",
         COALESCE(m.staff, 0)::int AS "staffPartyMembers",
         COALESCE(m.full_elderly, 0)::int AS "fullElderly"
    FROM institutions i
    LEFT JOIN organizations o ON o.id = i.party_organization_id
    LEFT JOIN organizations t ON t.id = i.township_org_id
    LEFT JOIN (
      SELECT institution_id,
             count(*) FILTER (WHERE category = 'STAFF' AND status = 'FULL') AS full_staff,
             count(*) FILTER (WHERE category = 'STAFF') AS staff,
             count(*) FILTER (WHERE category = 'ELDERLY' AND status = 'FULL') AS full_elderly
        FROM party_members
       GROUP BY institution_id
    ) m ON m.institution_id = i.id`;

@Injectable()
export class CoverageService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
  ) {}

  /** Today's year in Asia/Shanghai. */
  currentYear(): number {
    return Number(toCalendarDate(new Date()).slice(0, 4));
  }

  async report(year: number): Promise<CoverageReport> {
    const [rows, settings] = await Promise.all([this.ds.query(COVERAGE_SQL) as Promise<CoverageInstitutionRow[]>, this.settings.policy()]);
    return buildCoverageReport(rows, year, settings, toCalendarDate(new Date()));
  }
}
