/**
 * POST /imports/members and GET /imports/templates/:name over HTTP: Excel date cells and text dates, references
 * by name, all-or-nothing and ?partial=true, idempotent re-imports, templates that download and import as they are,
 * and an institution's applicant importing its own members only.
 */
import { csvOf, download, readXlsx, upload, xlsxOf, type Cell } from './fixtures/imports/import-files';
import { expectStatus, Http } from './support/http';
import { startSystem, type TestSystem } from './support/system';

const HEADERS = ['姓名', '所在机构', '类别', '党员状态', '出生日期', '失能', '失智', '组织关系所在党组织'];

let sys: TestSystem;
let admin: Http;
let token: string;
let home: any;
let township: any;

async function membersOf(institutionId: string): Promise<any[]> {
  return expectStatus(await admin.get(`/members?institutionId=${institutionId}&limit=500`), 200).body.items;
}

beforeAll(async () => {
  sys = await startSystem('imports_mem');
  token = expectStatus(await new Http(sys.baseUrl).post('/auth/login', { username: sys.env.ADMIN_USERNAME, password: sys.adminPassword }), 200).body.accessToken;
  admin = new Http(sys.baseUrl).as(token);
  const district = expectStatus(await admin.post('/organizations', { name: '党员导入区委组织部', kind: 'DISTRICT' }), 201).body;
  township = expectStatus(await admin.post('/organizations', { name: '党员导入街道党工委', kind: 'TOWNSHIP', parentId: district.id }), 201).body;
  expectStatus(await admin.post('/organizations', { name: '党员导入公建方党委', kind: 'PUBLIC_BUILDER', parentId: district.id }), 201);
  home = expectStatus(
    await admin.post('/institutions', { name: '松鹤颐养院', type: 'PRIVATE', district: '鄞州区', townshipOrgId: township.id, residentCount: 90 }),
    201,
  ).body;
});

afterAll(async () => {
  await sys?.stop();
});

const utc = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d));

/** Rows 2-4 good (an Excel date cell, a text date, no date); rows 5-9 bad; row 10 repeats row 2. */
const MIXED: Cell[][] = [
  ['王建国', '松鹤颐养院', '工作人员', '正式党员', utc(1978, 3, 9), '否', '否', null],
  ['李秀英', '松鹤颐养院', '在院老年人', '正式党员', '1938-11-02', '是', '否', '党员导入街道党工委'],
  ['张伟', '松鹤颐养院', '工作人员', '预备党员', null, null, null, null],
  ['赵敏', '不存在的养老院', '工作人员', '正式党员', '1980-01-01', '否', '否', null],
  ['钱红', '松鹤颐养院', '护工', '正式党员', '1980-01-01', '否', '否', null],
  ['孙丽', '松鹤颐养院', '工作人员', '正式党员', '1950-02-30', '否', '否', null],
  ['周涛', '松鹤颐养院', '在院老年人', '正式党员', '1940-05-05', '可能', '否', null],
  ['吴刚', '松鹤颐养院', '工作人员', '正式党员', '1985-07-07', '否', '否', '不存在的党组织'],
  ['王建国', '松鹤颐养院', '工作人员', '预备党员', utc(1978, 3, 9), '否', '否', null],
];

describe('members import', () => {
  it('reports every bad row by number and column and imports nothing', async () => {
    const res = await upload(sys.baseUrl, token, '/imports/members', '党员.xlsx', await xlsxOf(HEADERS, MIXED));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 0, committed: false, valid: 3, total: 9 });
    expect(res.body.rejected.map((r: any) => [r.row, r.field])).toEqual([
      [5, '所在机构'],
      [6, '类别'],
      [7, '出生日期'],
      [8, '失能'],
      [9, '组织关系所在党组织'],
      [10, '姓名'],
    ]);
    expect(await membersOf(home.id)).toEqual([]);
  });

  it('with ?partial=true imports the good rows with their values; again adds nothing; a changed status updates', async () => {
    const file = await xlsxOf(HEADERS, MIXED);
    const first = await upload(sys.baseUrl, token, '/imports/members?partial=true', '党员.xlsx', file);
    expect(first.body).toMatchObject({ accepted: 3, created: 3, unchanged: 0, committed: true });
    const members = await membersOf(home.id);
    expect(members).toHaveLength(3);
    const wang = members.find((m) => m.name === '王建国');
    expect(wang).toMatchObject({ category: 'STAFF', status: 'FULL', disabled: false, dementia: false });
    expect(String(wang.birthDate).slice(0, 10)).toBe('1978-03-09');
    const li = members.find((m) => m.name === '李秀英');
    expect(li).toMatchObject({ category: 'ELDERLY', disabled: true, relationOrgId: township.id });
    expect(members.find((m) => m.name === '张伟')).toMatchObject({ status: 'PROBATIONARY', birthDate: null });

    const again = await upload(sys.baseUrl, token, '/imports/members?partial=true', '党员.xlsx', file);
    expect(again.body).toMatchObject({ accepted: 3, created: 0, updated: 0, unchanged: 3 });
    expect(await membersOf(home.id)).toHaveLength(3);

    const promoted = csvOf(HEADERS, [['张伟', '松鹤颐养院', '工作人员', '正式党员', null, null, null, null]]);
    const upd = await upload(sys.baseUrl, token, '/imports/members', 'members.csv', promoted);
    expect(upd.body).toMatchObject({ accepted: 1, created: 0, updated: 1, rejected: [] });
    expect((await membersOf(home.id)).find((m) => m.name === '张伟').status).toBe('FULL');
  });

  it('tells same-named institutions apart by the optional 所在区县 column', async () => {
    await admin.post('/institutions', { name: '松鹤颐养院', type: 'PRIVATE', district: '海曙区', townshipOrgId: township.id });
    const rows: Cell[][] = [['陈静', '松鹤颐养院', '工作人员', '正式党员', '1990-09-09', '否', '否', null]];
    const ambiguous = await upload(sys.baseUrl, token, '/imports/members', 'm.csv', csvOf(HEADERS, rows));
    expect(ambiguous.body.rejected).toEqual([{ row: 2, field: '所在机构', message: expect.stringContaining('所在区县') }]);
    const withDistrict = await upload(sys.baseUrl, token, '/imports/members', 'm.csv', csvOf([...HEADERS, '所在区县'], [[...rows[0], '鄞州区']]));
    expect(withDistrict.body).toMatchObject({ accepted: 1, created: 1 });
    expect((await membersOf(home.id)).map((m) => m.name)).toContain('陈静');
  });

  it('reads the optional 入职（入住）日期 column (R11 counts 90 days from it); an empty cell keeps the stored date', async () => {
    const headers = [...HEADERS, '入职（入住）日期'];
    const row = (joined: Cell): Cell[] => ['刘洋', '松鹤颐养院', '工作人员', '正式党员', '1988-08-08', '否', '否', null, joined];
    expect((await upload(sys.baseUrl, token, '/imports/members', 'm.csv', csvOf([...headers, '所在区县'], [[...row('2025-03-01'), '鄞州区']]))).body).toMatchObject({ created: 1 });
    const liu = async (): Promise<any> => (await membersOf(home.id)).find((m) => m.name === '刘洋');
    expect((await liu()).joinedAt).toBe('2025-03-01');
    const later = await upload(sys.baseUrl, token, '/imports/members', 'm.xlsx', await xlsxOf([...headers, '所在区县'], [[...row(utc(2025, 4, 2)), '鄞州区']]));
    expect(later.body).toMatchObject({ updated: 1, rejected: [] });
    expect((await liu()).joinedAt).toBe('2025-04-02');
    const kept = await upload(sys.baseUrl, token, '/imports/members', 'm.csv', csvOf([...headers, '所在区县'], [[...row(null), '鄞州区']]));
    expect(kept.body).toMatchObject({ unchanged: 1 });
    expect((await liu()).joinedAt).toBe('2025-04-02');
    const bad = await upload(sys.baseUrl, token, '/imports/members', 'm.csv', csvOf([...headers, '所在区县'], [[...row('2999-01-01'), '鄞州区']]));
    expect(bad.body.rejected).toEqual([{ row: 2, field: '入职（入住）日期', message: expect.stringContaining('不在合理范围内') }]);
  });

  it('templates download as xlsx (default) and CSV with a BOM, with a Chinese filename, and import as they are', async () => {
    for (const name of ['institutions', 'members']) {
      const xlsx = await download(sys.baseUrl, token, `/imports/templates/${name}`);
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
      expect(xlsx.headers.get('content-disposition')).toMatch(/^attachment; filename="[a-z]+-template\.xlsx"; filename\*=UTF-8''%E[0-9A-F%]+\.xlsx$/);
      const sheet = await readXlsx(xlsx.bytes);
      expect(sheet.rows).toHaveLength(2);
      expect(sheet.rows[0]).toContain(name === 'institutions' ? '机构名称' : '姓名');
      const imported = await upload(sys.baseUrl, token, `/imports/${name}`, `template.xlsx`, xlsx.bytes);
      expect(imported.body).toMatchObject({ accepted: 1, rejected: [], committed: true });

      const csv = await download(sys.baseUrl, token, `/imports/templates/${name}?format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(decodeURIComponent(csv.headers.get('content-disposition')!.split("UTF-8''")[1])).toBe(name === 'institutions' ? '养老机构导入模板.csv' : '党员导入模板.csv');
      expect(csv.bytes.toString('utf8').split('\r\n').filter(Boolean)).toHaveLength(2);
      const again = await upload(sys.baseUrl, token, `/imports/${name}`, `template.csv`, csv.bytes);
      expect(again.body).toMatchObject({ accepted: 1, created: 0, unchanged: 1, rejected: [] });
    }
  });

  it('answers 404 for an unknown template and 400 for an unknown format', async () => {
    expect((await admin.get('/imports/templates/budgets')).status).toBe(404);
    const bad = await admin.get('/imports/templates/members?format=pdf');
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('format');
  });

  it('is refused to an approver, and changes nothing', async () => {
    const username = `approver_imp_${Date.now()}`;
    expectStatus(
      await admin.post('/users', { username, password: 'secret-password', displayName: '审批人', email: `${username}@example.test`, roles: ['APPROVER'], organizationIds: [township.id] }),
      201,
    );
    const other = expectStatus(await new Http(sys.baseUrl).post('/auth/login', { username, password: 'secret-password' }), 200).body.accessToken;
    const before = (await membersOf(home.id)).length;
    const res = await upload(sys.baseUrl, other, '/imports/members', 'm.xlsx', await xlsxOf(HEADERS, [['新党员', '松鹤颐养院', '工作人员', '正式党员', null, null, null, null]]));
    expect(res.status).toBe(403);
    expect(await membersOf(home.id)).toHaveLength(before);
    expect((await download(sys.baseUrl, other, '/imports/templates/members')).status).toBe(403);
  });

  it("lets an institution's applicant import its own members; a row for another institution is refused by row and column, whether or not that institution exists", async () => {
    const neighbour = expectStatus(
      await admin.post('/institutions', { name: '鹤龄护理院', type: 'PRIVATE', district: '鄞州区', townshipOrgId: township.id, residentCount: 40 }),
      201,
    ).body;
    const username = `applicant_imp_${Date.now()}`;
    expectStatus(
      await admin.post('/users', { username, password: 'secret-password', displayName: '机构经办人', email: `${username}@example.test`, roles: ['APPLICANT'], institutionIds: [home.id] }),
      201,
    );
    const mine = expectStatus(await new Http(sys.baseUrl).post('/auth/login', { username, password: 'secret-password' }), 200).body.accessToken;
    const rows: Cell[][] = [
      ['陈自导', '松鹤颐养院', '工作人员', '正式党员', '1979-04-04', '否', '否', null],
      ['越界甲', '鹤龄护理院', '工作人员', '正式党员', '1979-04-04', '否', '否', null],
      ['越界乙', '没有这家养老院', '工作人员', '正式党员', '1979-04-04', '否', '否', null],
    ];
    const before = { home: (await membersOf(home.id)).length, neighbour: (await membersOf(neighbour.id)).length };

    const whole = await upload(sys.baseUrl, mine, '/imports/members', '本院党员.csv', csvOf(HEADERS, rows));
    expect(whole.status).toBe(200);
    expect(whole.body).toMatchObject({ accepted: 0, committed: false, total: 3, valid: 1 });
    expect(whole.body.rejected).toEqual([
      { row: 3, field: '所在机构', message: '“鹤龄护理院”不是您负责的机构，只能导入本机构的党员' },
      { row: 4, field: '所在机构', message: '“没有这家养老院”不是您负责的机构，只能导入本机构的党员' },
    ]);
    expect(await membersOf(home.id)).toHaveLength(before.home);

    const part = await upload(sys.baseUrl, mine, '/imports/members?partial=true', '本院党员.csv', csvOf(HEADERS, rows));
    expect(part.body).toMatchObject({ accepted: 1, created: 1, committed: true });
    expect((await membersOf(home.id)).map((m) => m.name)).toContain('陈自导');
    expect(await membersOf(home.id)).toHaveLength(before.home + 1);
    expect(await membersOf(neighbour.id)).toHaveLength(before.neighbour);

    // The members template is theirs to download; institutions stay an admin's.
    const template = await download(sys.baseUrl, mine, '/imports/templates/members');
    expect(template.status).toBe(200);
    expect((await readXlsx(template.bytes)).rows[0]).toContain('所在机构');
    expect((await download(sys.baseUrl, mine, '/imports/templates/institutions')).status).toBe(403);
    const institutions = await upload(sys.baseUrl, mine, '/imports/institutions', '机构.csv', csvOf(['机构名称'], [['越权养老院']]));
    expect(institutions.status).toBe(403);
  });
});
