/**
 * Who may call each route of the API (issue #13 section 4): the access matrix test checks every route of the
 * OpenAPI document against this table, and a route missing here fails it. Keys are `METHOD /path` as the OpenAPI
 * document writes them, without the `/api/v1` prefix.
 *
 * - `public`: no token needed.
 * - `roles`: the roles that may call it at all ('any' = any signed-in user); another role gets 403.
 * - `scope`: the route is about one resource of one organisation (its path id, or its body/query): a user of the
 *   right role but of another organisation gets `otherStatus` (403 unless said otherwise).
 * - `as`: the persona the matrix calls it with for the allowed case (default: by the roles).
 */
export type Persona = 'admin' | 'applicantA' | 'approverA' | 'applicantB' | 'approverB';

export type Fixture = 'process' | 'task' | 'institution' | 'member' | 'organization' | 'user' | 'delegation' | 'attachment' | 'kind' | 'template' | 'token';

export interface RouteAccess {
  public?: true;
  roles?: 'any' | Array<'ADMIN' | 'APPROVER' | 'APPLICANT'>;
  /** Path parameters, by fixture. */
  params?: Record<string, Fixture>;
  /** Scoped to world A's resource: the B persona of the same role is refused. */
  scope?: 'path' | 'body' | 'query';
  as?: Persona;
  otherAs?: Persona;
  otherStatus?: number;
  /**
   * A body well-formed enough to reach the authorisation checks (validation answers 400 before them), sent by the
   * callers who must be refused; the allowed caller sends `rightBody` (default an empty body: refused for what it
   * says, so the matrix changes nothing).
   */
  body?: (f: Record<Fixture, string>) => unknown;
  rightBody?: (f: Record<Fixture, string>) => unknown;
  query?: (f: Record<Fixture, string>) => string;
}

const ADMIN = { roles: ['ADMIN'] } as const satisfies RouteAccess;
const ANY = { roles: 'any' } as const satisfies RouteAccess;

export const ROUTE_ACCESS: Record<string, RouteAccess> = {
  // health, sign-in, email links (the token is the credential)
  'GET /health': { public: true },
  'GET /health/live': { public: true },
  'GET /health/ready': { public: true },
  'POST /auth/login': { public: true },
  'GET /email-actions/{token}': { public: true, params: { token: 'token' } },
  'POST /email-actions/{token}': { public: true, params: { token: 'token' } },
  'POST /auth/logout': ANY,
  'GET /auth/me': ANY,

  // users (admin)
  'POST /users': ADMIN,
  'GET /users': ADMIN,
  'GET /users/{id}': { ...ADMIN, params: { id: 'user' } },
  'PATCH /users/{id}': { ...ADMIN, params: { id: 'user' } },
  'GET /users/{id}/audit': { ...ADMIN, params: { id: 'user' } },

  // registry
  'POST /organizations': ADMIN,
  'GET /organizations': ANY,
  'GET /organizations/{id}': { ...ANY, params: { id: 'organization' } },
  // Whom to hand a task to or who stands in: the organisation's own approvers (world A's builder) and admins.
  'GET /organizations/{id}/approvers': { ...ANY, params: { id: 'organization' }, scope: 'path', as: 'approverA', otherAs: 'approverB' },
  'PUT /organizations/{id}/secretary': { ...ADMIN, params: { id: 'organization' } },
  'GET /organizations/{id}/secretary-changes': { ...ADMIN, params: { id: 'organization' } },
  // The term and its renewal (API.md): like the organisation itself, readable by any signed-in user.
  'GET /organizations/{id}/term': { ...ANY, params: { id: 'organization' } },
  // 延期/提前换届: an ADMIN, or an APPROVER of the organisation's superior (none of the matrix's personas is one for
  // the fixture organisation, so for them it is refused like another role).
  'POST /organizations/{id}/term/reschedule': { ...ADMIN, params: { id: 'organization' } },
  'POST /institutions': ADMIN,
  'GET /institutions': ANY,
  'GET /institutions/{id}': { ...ANY, params: { id: 'institution' }, scope: 'path', as: 'applicantA', otherAs: 'applicantB' },
  'PATCH /institutions/{id}': { ...ADMIN, params: { id: 'institution' } },
  'GET /institutions/{id}/compliance': { ...ANY, params: { id: 'institution' }, scope: 'path', as: 'applicantA', otherAs: 'applicantB' },
  'POST /members': {
    roles: ['ADMIN', 'APPLICANT'],
    scope: 'body',
    as: 'applicantA',
    otherAs: 'applicantB',
    body: (f) => ({ name: '矩阵党员', institutionId: f.institution, category: 'STAFF', status: 'FULL' }),
  },
  // A list filters by scope: another organisation's users get an empty page, not a refusal.
  'GET /members': { ...ANY, scope: 'query', as: 'applicantA', otherAs: 'applicantB', otherStatus: 200, query: (f) => `institutionId=${f.institution}` },
  'GET /members/{id}': { ...ANY, params: { id: 'member' }, scope: 'path', as: 'applicantA', otherAs: 'applicantB' },
  'PATCH /members/{id}': { roles: ['ADMIN', 'APPLICANT'], params: { id: 'member' }, scope: 'path', as: 'applicantA', otherAs: 'applicantB' },
  'GET /members/{id}/history': { ...ANY, params: { id: 'member' }, scope: 'path', as: 'applicantA', otherAs: 'applicantB' },
  'POST /members/{id}/report': {
    roles: ['ADMIN', 'APPLICANT'],
    params: { id: 'member' },
    scope: 'path',
    as: 'applicantA',
    otherAs: 'applicantB',
    body: (f) => ({ organizationId: f.organization }),
  },
  'GET /members/{id}/reports': { ...ANY, params: { id: 'member' }, scope: 'path', as: 'applicantA', otherAs: 'applicantB' },
  // 选派 records: a list filters by scope; a dispatch of the matrix's worlds does not exist (a random id answers 404).
  'GET /dispatches': { ...ANY, scope: 'query', as: 'applicantA', otherAs: 'applicantB', otherStatus: 200, query: (f) => `institutionId=${f.institution}` },
  'GET /dispatches/{id}': ANY,
  'POST /dispatches/{id}/end': { roles: ['ADMIN', 'APPROVER'], as: 'approverA', body: () => ({ reason: '越权' }) },
  'POST /dispatches/{id}/leave': { roles: ['ADMIN', 'APPROVER'], as: 'approverA', body: () => ({ weeks: ['2030-W01'], reason: '越权' }) },
  // The dispatched person, whatever their role; the institution's applicants confirm.
  'POST /duty-logs': { ...ANY, body: () => ({ dispatchId: '00000000-0000-4000-8000-000000000000', date: '2026-01-05', hours: 4 }) },
  'POST /duty-logs/{id}/confirm': { roles: ['ADMIN', 'APPLICANT'], as: 'applicantA' },
  'POST /imports/institutions': ADMIN,
  // An institution's applicants import its members (rows for other institutions are refused row by row:
  // imports-members.test.ts) and download the members template; the institutions template is an admin's.
  'POST /imports/members': { roles: ['ADMIN', 'APPLICANT'], as: 'applicantA' },
  'GET /imports/templates/{name}': { roles: ['ADMIN', 'APPLICANT'], params: { name: 'template' }, as: 'applicantA' },

  // processes
  'GET /process-kinds': ANY,
  'POST /processes/{kind}': {
    ...ANY,
    params: { kind: 'kind' },
    scope: 'body',
    as: 'applicantA',
    otherAs: 'applicantB',
    body: (f) => ({ institutionId: f.institution, name: '矩阵党支部', memberIds: [f.member] }),
    // Allowed, and refused for what it asks: the institution's establish-branch is already open (409).
    rightBody: (f) => ({ institutionId: f.institution, name: '矩阵党支部', memberIds: [f.member] }),
  },
  'GET /processes': ANY,
  'GET /processes/{id}': { ...ANY, params: { id: 'process' }, scope: 'path', as: 'applicantA', otherAs: 'applicantB' },
  'GET /processes/{id}/record': { ...ANY, params: { id: 'process' }, scope: 'path', as: 'applicantA', otherAs: 'applicantB' },
  'POST /processes/{id}/urge': { ...ANY, params: { id: 'process' }, scope: 'path', as: 'applicantA', otherAs: 'applicantB' },
  'POST /processes/{id}/resubmit': { ...ANY, params: { id: 'process' }, scope: 'path', as: 'applicantA', otherAs: 'applicantB' },
  'POST /processes/{id}/withdraw': { ...ANY, params: { id: 'process' }, scope: 'path', as: 'applicantA', otherAs: 'applicantB', body: () => ({ reason: '越权' }) },

  // funds (R14): budgets by version, spending against a line, stipend payments, finance exports (rows filtered by scope)
  'GET /budgets': ANY,
  'GET /budgets/{id}': ANY,
  'POST /budgets/{id}/expenses': { roles: ['ADMIN', 'APPLICANT'], as: 'applicantA', body: () => ({ category: 'ACTIVITIES', amountFen: 100, date: '2026-03-01' }) },
  'GET /payments': ANY,
  'POST /payments/{id}/adjustments': { roles: ['ADMIN', 'APPROVER'], as: 'approverA', body: () => ({ amountFen: 100, reason: '越权更正' }) },
  'GET /payments/{id}/adjustments': ANY,
  'GET /exports/payments': { ...ANY, query: () => 'month=2026-01&format=csv' },
  'GET /exports/budgets': { ...ANY, query: () => 'year=2026&format=csv' },

  // inbox
  'GET /tasks': ANY,
  'GET /tasks/{id}': { ...ANY, params: { id: 'task' }, scope: 'path', as: 'approverA', otherAs: 'approverB' },
  'POST /tasks/{id}/decision': { ...ANY, params: { id: 'task' }, scope: 'path', as: 'approverA', otherAs: 'approverB', body: () => ({ decision: 'APPROVE', comment: '越权' }) },
  'POST /tasks/{id}/transfer': { ...ANY, params: { id: 'task' }, scope: 'path', as: 'approverA', otherAs: 'approverB', body: (f) => ({ toUserId: f.user, comment: '越权' }) },
  'POST /tasks/{id}/reassign': { ...ADMIN, params: { id: 'task' } },
  'POST /tasks/{id}/add-signer': { ...ANY, params: { id: 'task' }, scope: 'path', as: 'approverA', otherAs: 'approverB', body: (f) => ({ orgId: f.organization, position: 'AFTER', comment: '越权' }) },
  'POST /tasks/{id}/pull-back': { ...ANY, params: { id: 'task' }, scope: 'path', as: 'approverA', otherAs: 'approverB', body: () => ({ comment: '越权' }) },
  'POST /tasks/batch-decision': ANY,
  'POST /tasks/{id}/attachments': { ...ANY, params: { id: 'task' }, scope: 'path', as: 'approverA', otherAs: 'approverB' },
  'GET /tasks/{id}/attachments': { ...ANY, params: { id: 'task' }, scope: 'path', as: 'approverA', otherAs: 'approverB' },
  'GET /attachments/{id}': { ...ANY, params: { id: 'attachment' }, scope: 'path', as: 'approverA', otherAs: 'approverB' },
  'POST /delegations': ANY,
  'GET /delegations': ANY,
  'DELETE /delegations/{id}': { ...ANY, params: { id: 'delegation' }, scope: 'path', as: 'approverA', otherAs: 'approverB' },

  // admin
  'GET /admin/processes': ADMIN,
  'GET /admin/processes/summary': ADMIN,
  'GET /admin/processes/{id}/history': { ...ADMIN, params: { id: 'process' } },
  'GET /admin/overdue': ADMIN,
  'GET /admin/queues': ADMIN,
  'POST /admin/queues/board-session': ADMIN,
  'GET /admin/coverage': ADMIN,
  'GET /admin/settings/policy': ADMIN,
  'PATCH /admin/settings/policy': ADMIN,
  'GET /admin/settings/policy/audit': ADMIN,
  'GET /admin/settings/calendar': ADMIN,
  'PATCH /admin/settings/calendar': ADMIN,
  'GET /admin/settings/calendar/audit': ADMIN,
};
