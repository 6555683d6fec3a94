/**
 * POST /imports/institutions over HTTP against the real API: row-level validation with row numbers and Chinese
 * column names, all-or-nothing by default, ?partial=true, idempotent re-imports, CSV, refusals of bad files.
 */
import { csvOf, upload, xlsxOf, type Cell } from './fixtures/imports/import-files';
import { expectStatus, Http } from './support/http';
import { startSystem, type TestSystem } from './support/system';

const HEADERS = ['机构名称', '机构类型', '所在区县', '属地镇街党组织', '举办单位党组织', '公建方党组织', '管理方', '运营方', '床位数', '在院老人数'];
const DISTRICT = '导入测试区';

let sys: TestSystem;
let admin: Http;
let token: string;

async function tokenOf(username: string, password: string): Promise<string> {
  const res = expectStatus(await new Http(sys.baseUrl).post<{ accessToken: string }>('/auth/login', { username, password }), 200);
  return res.body.accessToken;
}

async function institutionsIn(district: string): Promise<any[]> {
  return expectStatus(await admin.get(`/institutions?district=${encodeURIComponent(district)}&limit=500`), 200).body.items;
}

beforeAll(async () => {
  sys = await startSystem('imports_inst');
  token = await tokenOf(sys.env.ADMIN_USERNAME!, sys.adminPassword);
  admin = new Http(sys.baseUrl).as(token);
  const district = expectStatus(await admin.post('/organizations', { name: '导入测试区委组织部', kind: 'DISTRICT' }), 201).body;
  for (const [name, kind] of [
    ['测试街道党工委', 'TOWNSHIP'],
    ['测试镇党委', 'TOWNSHIP'],
    ['测试区民政局机关党委', 'SPONSOR'],
    ['测试城投集团党委', 'PUBLIC_BUILDER'],
  ]) {
    expectStatus(await admin.post('/organizations', { name, kind, parentId: district.id }), 201);
  }
});

afterAll(async () => {
  await sys?.stop();
});

/** Rows 2-4 are good; 5-9 each have one problem; row 10 repeats row 2. */
const MIXED: Cell[][] = [
  ['阳光颐养院', '公办', DISTRICT, '测试街道党工委', '测试区民政局机关党委', null, null, null, 120, 80],
  ['康乐护理院', '公建民营', DISTRICT, '测试街道党工委', null, '测试城投集团党委', '属地镇街', '某养老服务有限公司', 200, 150],
  ['幸福养老院', '民营', DISTRICT, '测试镇党委', null, null, null, '幸福养老有限公司', 60, 45],
  ['错误类型院', '养老院', DISTRICT, '测试街道党工委', null, null, null, null, null, null],
  ['缺举办单位院', '公办', DISTRICT, '测试街道党工委', null, null, null, null, null, null],
  ['未知镇街院', '民营', DISTRICT, '不存在的街道党工委', null, null, null, null, null, null],
  ['负床位院', '民营', DISTRICT, '测试镇党委', null, null, null, null, -3, null],
  ['错管理方院', '民营', DISTRICT, '测试镇党委', null, null, '公建方', null, null, null],
  ['阳光颐养院', '公办', DISTRICT, '测试街道党工委', '测试区民政局机关党委', null, null, null, 999, 80],
];

describe('institutions import', () => {
  it('reports every bad row by number and column and imports nothing', async () => {
    const res = await upload(sys.baseUrl, token, '/imports/institutions', '机构.xlsx', await xlsxOf(HEADERS, MIXED));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 0, created: 0, committed: false, valid: 3, total: 9 });
    const rejected = res.body.rejected.map((r: any) => [r.row, r.field]);
    expect(rejected).toEqual([
      [5, '机构类型'],
      [6, '举办单位党组织'],
      [7, '属地镇街党组织'],
      [8, '床位数'],
      [9, '管理方'],
      [10, '机构名称'],
    ]);
    expect(res.body.rejected[5].message).toContain('第 2 行');
    for (const r of res.body.rejected) expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await institutionsIn(DISTRICT)).toEqual([]);
  });

  it('with ?partial=true imports the good rows, and importing again adds nothing', async () => {
    const file = await xlsxOf(HEADERS, MIXED);
    const first = await upload(sys.baseUrl, token, '/imports/institutions?partial=true', '机构.xlsx', file);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 3, created: 3, updated: 0, unchanged: 0, committed: true, partial: true });
    expect(first.body.rejected).toHaveLength(6);
    const listed = await institutionsIn(DISTRICT);
    expect(listed.map((i) => i.name).sort()).toEqual(['幸福养老院', '康乐护理院', '阳光颐养院'].sort());
    const pbpr = listed.find((i) => i.name === '康乐护理院');
    expect(pbpr).toMatchObject({ type: 'PUBLIC_BUILT_PRIVATE_RUN', managedBy: 'TOWNSHIP', bedCount: 200, residentCount: 150, operatorName: '某养老服务有限公司' });
    expect(pbpr.publicBuilderOrgId).toBeTruthy();

    const again = await upload(sys.baseUrl, token, '/imports/institutions?partial=true', '机构.xlsx', file);
    expect(again.body).toMatchObject({ accepted: 3, created: 0, updated: 0, unchanged: 3 });
    expect(await institutionsIn(DISTRICT)).toHaveLength(3);
  });

  it('updates by natural key (name, district) when a value changed', async () => {
    const rows = MIXED.slice(0, 3).map((r) => [...r]);
    rows[2][8] = 66; // 幸福养老院 床位数 60 → 66
    const res = await upload(sys.baseUrl, token, '/imports/institutions', '机构.xlsx', await xlsxOf(HEADERS, rows));
    expect(res.body).toMatchObject({ accepted: 3, created: 0, updated: 1, unchanged: 2, rejected: [], committed: true });
    const listed = await institutionsIn(DISTRICT);
    expect(listed).toHaveLength(3);
    expect(listed.find((i) => i.name === '幸福养老院').bedCount).toBe(66);
  });

  it('reads CSV (UTF-8 with BOM, quoted fields, type codes) too', async () => {
    const district = 'CSV测试区';
    const rows: Cell[][] = [
      ['"东方"颐养院, 北院', 'PRIVATE', district, '测试镇党委', null, null, null, '东方养老, 有限公司', '30', '20'],
      ['星光社区居家养老服务站', '居家养老服务站', district, '测试镇党委', null, null, null, null, null, null],
      ['测试镇居家养老服务中心', 'home_care_center', district, '测试镇党委', null, null, null, null, 12, null],
    ];
    const res = await upload(sys.baseUrl, token, '/imports/institutions', 'institutions.csv', csvOf(HEADERS, rows));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 3, created: 3, rejected: [] });
    const listed = await institutionsIn(district);
    expect(listed.find((i) => i.type === 'PRIVATE')).toMatchObject({ name: '"东方"颐养院, 北院', operatorName: '东方养老, 有限公司', bedCount: 30 });
    expect(listed.map((i) => i.type).sort()).toEqual(['HOME_CARE_CENTER', 'HOME_CARE_STATION', 'PRIVATE']);
    const again = await upload(sys.baseUrl, token, '/imports/institutions', 'institutions.csv', csvOf(HEADERS, rows));
    expect(again.body).toMatchObject({ accepted: 3, created: 0, unchanged: 3 });
  });

  it('refuses files it cannot use with 400 naming file (or the missing column), and too large ones with 413', async () => {
    const wrongType = await upload(sys.baseUrl, token, '/imports/institutions', 'report.pdf', Buffer.from('%PDF-1.4'));
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toMatchObject({ statusCode: 400, error: 'Bad Request', details: [{ field: 'file' }] });

    const fakeXlsx = await upload(sys.baseUrl, token, '/imports/institutions', 'fake.xlsx', Buffer.from('not a zip at all'));
    expect(fakeXlsx.status).toBe(400);
    expect(fakeXlsx.body.details[0].field).toBe('file');

    const otherField = await upload(sys.baseUrl, token, '/imports/institutions', 'a.csv', csvOf(HEADERS, []), 'upload');
    expect(otherField.status).toBe(400);
    expect(otherField.body.details[0].field).toBe('file');

    const noFile = await admin.post('/imports/institutions', {});
    expect(noFile.status).toBe(400);
    expect(noFile.body.details[0].field).toBe('file');

    const missingColumn = await upload(sys.baseUrl, token, '/imports/institutions', 'a.csv', csvOf(['机构名称', '所在区县'], [['某院', DISTRICT]]));
    expect(missingColumn.status).toBe(400);
    expect(missingColumn.body.details.map((d: any) => d.field)).toEqual(['机构类型', '属地镇街党组织']);

    const big = Buffer.alloc(10 * 1024 * 1024 + 1024, 0x41);
    const tooLarge = await upload(sys.baseUrl, token, '/imports/institutions', 'big.csv', big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('is for ADMIN only: 403 for an applicant, 401 without a token', async () => {
    const username = `applicant_imp_${Date.now()}`;
    expectStatus(
      await admin.post('/users', { username, password: 'secret-password', displayName: '申请人', email: `${username}@example.test`, roles: ['APPLICANT', 'APPROVER'] }),
      201,
    );
    const other = await tokenOf(username, 'secret-password');
    const file = await xlsxOf(HEADERS, MIXED.slice(0, 1));
    const forbidden = await upload(sys.baseUrl, other, '/imports/institutions', 'a.xlsx', file);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    expect((await upload(sys.baseUrl, null, '/imports/institutions', 'a.xlsx', file)).status).toBe(401);
    expect((await new Http(sys.baseUrl).as(other).get('/imports/templates/institutions')).status).toBe(403);
  });
});
