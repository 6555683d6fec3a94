import fc from 'fast-check';
import {
  type ComplianceInput,
  DEFAULT_POLICY_SETTINGS,
  DISPATCH_ROLES,
  ELDERLY_BRANCH_COUNT_BASES,
  INSTITUTION_TYPES,
  type InstitutionFacts,
  MANAGED_BY_OPTIONS,
  type MemberFacts,
  PARTY_ORG_KINDS,
  REQUIRED_ACTIONS,
  SECRETARY_SOURCES,
  SEED_SOURCES,
  SEVERITIES,
  SILENT_TYPE_BODIES,
  evaluateCompliance,
  evaluateRelationTransfer,
  fromDayNumber,
  isRuleId,
  mergePolicySettings,
  prorateStipendFen,
  resolveResponsibleBody,
  toDayNumber,
  transferExemptReasons,
} from '../src';

const day = (from: string, to: string) =>
  fc.integer({ min: toDayNumber(from), max: toDayNumber(to) }).map(fromDayNumber);

const ORG_IDS = ['org-a', 'org-b', 'org-own', 'org-joint'];

/** A valid institution: PUBLIC has a sponsor, every one a township; a builder and the township's parent may be missing. */
const institutionArb: fc.Arbitrary<InstitutionFacts> = fc
  .record({
    type: fc.constantFrom(...INSTITUTION_TYPES),
    sponsor: fc.option(fc.constant('org-sponsor'), { nil: null }),
    builder: fc.option(fc.constant('org-builder'), { nil: null }),
    managedBy: fc.option(fc.constantFrom(...MANAGED_BY_OPTIONS), { nil: null }),
    partyOrganizationId: fc.option(fc.constantFrom(...ORG_IDS), { nil: null }),
    townshipParent: fc.option(fc.constant('org-district'), { nil: null }),
  })
  .map((r) => ({
    id: 'inst',
    type: r.type,
    townshipOrgId: 'org-township',
    sponsorOrgId: r.type === 'PUBLIC' ? 'org-sponsor' : r.sponsor,
    publicBuilderOrgId: r.builder,
    managedBy: r.managedBy,
    partyOrganizationId: r.partyOrganizationId,
    townshipParentOrgId: r.townshipParent,
  }));

const memberArb: fc.Arbitrary<Omit<MemberFacts, 'id'>> = fc.record({
  institutionId: fc.constantFrom('inst', 'inst', 'inst', 'other'),
  category: fc.constantFrom('STAFF' as const, 'ELDERLY' as const),
  status: fc.constantFrom('FULL' as const, 'FULL' as const, 'PROBATIONARY' as const),
  birthDate: fc.option(day('1920-01-01', '2004-12-31'), { nil: null }),
  disabled: fc.boolean(),
  dementia: fc.boolean(),
  relationOrgId: fc.option(fc.constantFrom(...ORG_IDS), { nil: null }),
  joinedAt: fc.option(day('2015-01-01', '2030-12-31'), { nil: null }),
  fullMemberSince: fc.option(day('1960-01-01', '2030-12-31'), { nil: null }),
  transferInPending: fc.boolean(),
});

const orgArb = fc.option(
  fc.record({
    id: fc.constantFrom('org-own', 'org-joint'),
    kind: fc.constantFrom(...PARTY_ORG_KINDS),
    termStart: fc.option(day('2015-01-01', '2030-12-31'), { nil: null }),
    postponedUntil: fc.option(day('2018-01-01', '2032-12-31'), { nil: null }),
    secretaryMemberId: fc.option(fc.constant('m0'), { nil: null }),
    jointMode: fc.option(fc.constantFrom('CO_BUILD' as const, 'AFFILIATE' as const), { nil: null }),
  }),
  { nil: null },
);

const inputArb: fc.Arbitrary<ComplianceInput> = fc
  .record({
    institution: institutionArb,
    members: fc.array(memberArb, { maxLength: 14 }),
    organization: orgArb,
    elderlyBranch: fc.option(fc.record({ id: fc.constant('org-eb'), kind: fc.constant('ELDERLY_BRANCH' as const), termStart: day('2015-01-01', '2030-12-31') }), { nil: null }),
    hasInstructor: fc.boolean(),
    hasMassOrganisation: fc.boolean(),
    secretarySource: fc.option(fc.constantFrom(...SECRETARY_SOURCES), { nil: null }),
    dispatches: fc.array(
      fc.record({
        id: fc.constantFrom('d1', 'd2'),
        role: fc.constantFrom(...DISPATCH_ROLES),
        institutionId: fc.constantFrom('inst', 'other'),
        dispatchingOrgId: fc.constant('org-builder'),
        dispatchingOrgParentId: fc.option(fc.constant('org-district'), { nil: null }),
        startDate: day('2019-01-01', '2030-12-31'),
        endDate: fc.option(day('2019-01-01', '2031-12-31'), { nil: null }),
      }),
      { maxLength: 2 },
    ),
    dutySessions: fc.array(
      fc.record({ dispatchId: fc.constantFrom('d1', 'd2'), date: day('2019-01-01', '2030-12-31'), hours: fc.integer({ min: 0, max: 16 }).map((q) => q / 2), confirmed: fc.boolean() }),
      { maxLength: 20 },
    ),
    thresholdReachedOn: fc.option(day('2015-01-01', '2030-12-31'), { nil: null }),
    budgets: fc.option(fc.array(fc.record({ year: fc.integer({ min: 2018, max: 2032 }), status: fc.constantFrom('NONE' as const, 'DRAFT' as const, 'SUBMITTED' as const, 'APPROVED' as const) }), { maxLength: 3 }), { nil: undefined }),
  })
  .map((r) => ({ ...r, members: r.members.map((m, i) => ({ ...m, id: `m${i}` })) }));

const silentBody = fc.constantFrom(...SILENT_TYPE_BODIES);
const settingsArb = fc
  .record({
    noMembersPreferredAction: fc.constantFrom('INSTRUCTOR' as const, 'MASS_ORGANISATION' as const),
    advancedAgeYears: fc.constantFrom(75, 80, 85),
    elderlyBranchCountBasis: fc.constantFrom(...ELDERLY_BRANCH_COUNT_BASES),
    silentTypesResponsibleBody: fc.record({ PRIVATE: silentBody, HOME_CARE_CENTER: silentBody, HOME_CARE_STATION: silentBody }),
  })
  .map((o) => mergePolicySettings(o));

const todayArb = day('2019-01-01', '2031-12-31');

describe('property: evaluateCompliance over random institutions', () => {
  it('gives exactly one required action, consistent with the staff counts and coverage', () => {
    fc.assert(
      fc.property(inputArb, settingsArb, todayArb, (input, settings, today) => {
        const v = evaluateCompliance(input, settings, today);
        expect(REQUIRED_ACTIONS.filter((a) => a === v.requiredAction)).toHaveLength(1);
        const staff = input.members.filter((m) => m.institutionId === 'inst' && m.category === 'STAFF');
        const fullStaff = staff.filter((m) => m.status === 'FULL').length;
        expect(v.fullStaffMembers).toBe(fullStaff);
        switch (v.requiredAction) {
          case 'STANDALONE_ORG':
            expect(fullStaff).toBeGreaterThanOrEqual(3);
            expect(v.coverage.kind).not.toBe('ORG_STANDALONE');
            break;
          case 'JOINT_ORG':
            // R5: below the threshold with at least one staff party member, FULL or PROBATIONARY.
            expect(fullStaff).toBeLessThan(3);
            expect(staff.length).toBeGreaterThan(0);
            expect(v.coverage.organisation).toBe(false);
            break;
          case 'INSTRUCTOR':
          case 'MASS_ORGANISATION':
            // R6: no staff party member at all.
            expect(staff).toHaveLength(0);
            expect(v.coverage.organisation).toBe(false);
            if (input.institution.type !== 'PUBLIC_BUILT_PRIVATE_RUN') expect(v.coverage.work).toBe(false);
            else expect(v.requiredAction).toBe('INSTRUCTOR');
            break;
          case 'NONE':
            if (fullStaff >= 3) expect(v.coverage.kind).toBe('ORG_STANDALONE');
            else if (staff.length >= 1) expect(v.coverage.organisation).toBe(true);
            else expect(v.coverage.work).toBe(true);
            break;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('cites a known rule and its seed sentence in every finding', () => {
    fc.assert(
      fc.property(inputArb, settingsArb, todayArb, (input, settings, today) => {
        const v = evaluateCompliance(input, settings, today);
        expect(v.findings.length).toBeGreaterThan(0);
        for (const f of v.findings) {
          expect(isRuleId(f.ruleId)).toBe(true);
          if (!isRuleId(f.ruleId)) return;
          expect(f.source).toBe(SEED_SOURCES[f.ruleId]);
          expect(SEVERITIES).toContain(f.severity);
          expect(f.message).toMatch(/[\u4e00-\u9fff]/);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('always resolves the responsible body of a valid institution, whatever the R3b setting (never nobody)', () => {
    fc.assert(
      fc.property(inputArb, settingsArb, todayArb, (input, settings, today) => {
        const body = evaluateCompliance(input, settings, today).responsibleBodyId;
        expect(body).not.toBeNull();
        const inst = input.institution;
        if (inst.type === 'PUBLIC_BUILT_PRIVATE_RUN') expect(body).toBe(inst.managedBy !== 'TOWNSHIP' && inst.publicBuilderOrgId ? 'org-builder' : 'org-township');
        if (inst.type !== 'PUBLIC' && inst.type !== 'PUBLIC_BUILT_PRIVATE_RUN') {
          const district = settings.silentTypesResponsibleBody[inst.type] === 'DISTRICT' && inst.townshipParentOrgId;
          expect(body).toBe(district ? 'org-district' : 'org-township');
        }
        expect(resolveResponsibleBody(input.institution, settings, { elderly: true }).organizationId).toBe('org-township');
      }),
    );
  });

  it('probationary members never change a count, and probationary staff only turn R6 into R5', () => {
    fc.assert(
      fc.property(inputArb, todayArb, fc.array(fc.constantFrom('STAFF' as const, 'ELDERLY' as const), { minLength: 1, maxLength: 5 }), (input, today, cats) => {
        const extra: MemberFacts[] = cats.map((category, i) => ({ id: `p${i}`, institutionId: 'inst', category, status: 'PROBATIONARY', relationOrgId: null }));
        const before = evaluateCompliance(input, DEFAULT_POLICY_SETTINGS, today);
        const after = evaluateCompliance({ ...input, members: [...input.members, ...extra] }, DEFAULT_POLICY_SETTINGS, today);
        expect(after.fullStaffMembers).toBe(before.fullStaffMembers);
        expect(after.fullElderlyMembers).toBe(before.fullElderlyMembers);
        expect(after.elderlyBranchEligible).toBe(before.elderlyBranchEligible);
        const hadStaff = input.members.some((m) => m.institutionId === 'inst' && m.category === 'STAFF');
        if (hadStaff || !cats.includes('STAFF')) expect(after.requiredAction).toBe(before.requiredAction);
        else if (!after.coverage.organisation) expect(after.requiredAction).toBe('JOINT_ORG');
        else expect(after.requiredAction).toBe('NONE');
      }),
    );
  });

  it('lists only own staff as transfers due and only own elderly as exempt; is pure', () => {
    fc.assert(
      fc.property(inputArb, todayArb, (input, today) => {
        const snapshot = JSON.stringify(input);
        const v = evaluateCompliance(input, DEFAULT_POLICY_SETTINGS, today);
        const byId = new Map(input.members.map((m) => [m.id, m]));
        for (const id of v.transfersDue) expect(byId.get(id)).toMatchObject({ institutionId: 'inst', category: 'STAFF' });
        for (const e of v.transferExempt) {
          expect(byId.get(e.memberId)).toMatchObject({ institutionId: 'inst', category: 'ELDERLY' });
          expect(e.reasons.length).toBeGreaterThan(0);
        }
        expect(JSON.stringify(input)).toBe(snapshot);
        expect(evaluateCompliance(input, DEFAULT_POLICY_SETTINGS, today)).toEqual(v);
      }),
    );
  });
});

describe('property: relation transfer and stipends', () => {
  it('an elderly member moves only on their own request; an exempt one also needs a reason and the extra approval', () => {
    fc.assert(
      fc.property(memberArb, todayArb, fc.boolean(), fc.option(fc.constantFrom('', ' ', '本人坚持迁移'), { nil: undefined }), (m, today, asked, exceptionReason) => {
        const member: MemberFacts = { ...m, id: 'x', category: 'ELDERLY', relationOrgId: 'org-home' };
        const v = evaluateRelationTransfer(member, 'org-own', { memberRequested: asked, exceptionReason }, DEFAULT_POLICY_SETTINGS, today);
        const exempt = transferExemptReasons(member, DEFAULT_POLICY_SETTINGS, today);
        expect(v.exemptReasons).toEqual(exempt);
        const withReason = (exceptionReason ?? '').trim() !== '';
        expect(v.allowed).toBe(asked && (exempt.length === 0 || withReason));
        expect(v.needsResponsibleBodyApproval).toBe(v.allowed && exempt.length > 0);
        for (const f of v.findings) expect(f.source).toBe(SEED_SOURCES[f.ruleId as keyof typeof SEED_SOURCES]);
      }),
    );
  });

  it('a prorated stipend stays within the month amount and a split month adds up to within 1 fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 2000, max: 2040 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), (fen, y, mo, split) => {
        const month = `${y}-${String(mo).padStart(2, '0')}`;
        const first = prorateStipendFen(fen, month, `${month}-01`, `${month}-${String(split).padStart(2, '0')}`);
        const rest = prorateStipendFen(fen, month, fromDayNumber(toDayNumber(`${month}-01`) + split));
        expect(Number.isInteger(first)).toBe(true);
        expect(first).toBeGreaterThanOrEqual(0);
        expect(first).toBeLessThanOrEqual(fen);
        expect(Math.abs(first + rest - fen)).toBeLessThanOrEqual(1);
        expect(prorateStipendFen(fen, month, `${month}-01`)).toBe(fen);
      }),
    );
  });
});
