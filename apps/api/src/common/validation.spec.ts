import { ApiError } from './errors';
import { createValidationPipe } from './validation';
import { CreateInstitutionDto, CreateMemberDto, CreateOrganizationDto, UpdateInstitutionDto, UpdateMemberDto } from '../registry/registry.dto';
import { DecisionDto, ReassignDto } from '../tasks/tasks.dto';
import { UpdateUserDto } from '../users/users.dto';

interface Refusal {
  message: string;
  details: Array<{ field: string; message: string }>;
}

async function refusal(metatype: new () => object, body: unknown): Promise<Refusal> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype });
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    return (err as ApiError).getResponse() as Refusal;
  }
  throw new Error(`${JSON.stringify(body)} was accepted`);
}

const accepts = (metatype: new () => object, body: unknown): Promise<unknown> => createValidationPipe().transform(body, { type: 'body', metatype });

describe('validation messages', () => {
  it('says one Chinese message per field, for the rule it broke; a missing field is "required", not every rule', async () => {
    const r = await refusal(CreateInstitutionDto, { type: 'PUBLIC', district: 5, bedCount: -1 });
    expect(r.details).toEqual([
      { field: 'name', message: 'name 为必填项' },
      { field: 'district', message: 'district 必须是文本' },
      { field: 'townshipOrgId', message: 'townshipOrgId 为必填项' },
      { field: 'bedCount', message: 'bedCount 不能小于 0' },
    ]);
    for (const d of r.details) expect(d.message).not.toMatch(/must|should|[A-Za-z]{3,} [a-z]{3,}/);
    expect(r.message).toBe('请求参数有误：name 为必填项；district 必须是文本；townshipOrgId 为必填项；bedCount 不能小于 0');
  });

  it('keeps the messages written on the decorators and words the rules with their arguments', async () => {
    const r = await refusal(DecisionDto, { decision: 'MAYBE', comment: 5, attachmentIds: ['not-a-uuid'] });
    expect(r.details).toEqual([
      { field: 'decision', message: 'decision 必须是 APPROVE、REJECT 或 RETURN' },
      { field: 'comment', message: 'comment 必须是字符串' },
      { field: 'attachmentIds', message: 'attachmentIds 中每一项都必须是 UUID' },
    ]);
    const org = await refusal(CreateOrganizationDto, { name: 'x'.repeat(201), kind: 'DISTRICT', extra: 1 });
    expect(org.details).toEqual([
      { field: 'extra', message: 'extra 不是可提交的字段' },
      { field: 'name', message: 'name 不能超过 200 个字符' },
    ]);
    const users = await refusal(UpdateUserDto, { roles: ['KING'], organizationIds: ['x'] });
    expect(users.details).toEqual([
      { field: 'roles', message: 'roles 中的每一项必须是 ADMIN、APPROVER、APPLICANT 之一' },
      { field: 'organizationIds', message: 'organizationIds 中的每一项必须是 UUID' },
    ]);
  });

  it('refuses a body that is not an object', async () => {
    expect((await refusal(CreateOrganizationDto, [1, 2])).details).toEqual([{ field: 'body', message: '请求体必须是 JSON 对象' }]);
  });
});

describe('numbers, nulls and dates', () => {
  it('keeps counts inside the integer column', async () => {
    expect((await refusal(UpdateInstitutionDto, { bedCount: 2_147_483_648 })).details).toEqual([{ field: 'bedCount', message: 'bedCount 不能大于 2147483647' }]);
    await expect(accepts(UpdateInstitutionDto, { bedCount: 2_147_483_647, residentCount: 0 })).resolves.toBeDefined();
  });

  it('takes null as "clear" only where the API declares the field nullable', async () => {
    await expect(accepts(UpdateInstitutionDto, { operatorName: null, bedCount: null, sponsorOrgId: null })).resolves.toBeDefined();
    await expect(accepts(UpdateMemberDto, { birthDate: null })).resolves.toBeDefined();
    await expect(accepts(UpdateUserDto, { memberId: null })).resolves.toBeDefined();
    await expect(accepts(ReassignDto, { toUserId: null, comment: '退回组织' })).resolves.toBeDefined();
    expect((await refusal(UpdateInstitutionDto, { name: null, district: null, hasInstructor: null })).details).toEqual([
      { field: 'name', message: 'name 不能为 null' },
      { field: 'district', message: 'district 不能为 null' },
      { field: 'hasInstructor', message: 'hasInstructor 不能为 null' },
    ]);
    expect((await refusal(UpdateMemberDto, { name: null, disabled: null })).details.map((d) => d.field)).toEqual(['name', 'disabled']);
    expect((await refusal(UpdateUserDto, { displayName: null, email: null, roles: null, active: null })).details.map((d) => d.field)).toEqual([
      'displayName',
      'email',
      'roles',
      'active',
    ]);
  });

  it('takes dates exactly as YYYY-MM-DD', async () => {
    const base = { name: '张三', institutionId: '6f1c1f53-8c4e-4f43-9a55-8d4a4f0f2f11', category: 'STAFF', status: 'FULL' };
    await expect(accepts(CreateMemberDto, { ...base, birthDate: '1950-01-31' })).resolves.toBeDefined();
    for (const birthDate of ['1950-01-31T00:00:00Z', '1950-01-31T08:00:00+08:00', '1950-1-31', '1950-02-30', '19500131']) {
      expect((await refusal(CreateMemberDto, { ...base, birthDate })).details).toEqual([{ field: 'birthDate', message: 'birthDate 必须是 YYYY-MM-DD 日期' }]);
    }
  });
});
