import { useState, type ReactNode } from 'react';
import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tabs, Tag } from 'antd';
import type { FormInstance } from 'antd';
import { patch, post, qs } from '../../api/client';
import type { Institution, Member, Organization, Page, User } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { InstitutionName, OrgName } from '../../components/names';
import { PageTitle } from '../../components/PageTitle';
import { placeServerErrors } from '../../components/server-errors';
import { InstitutionPicker, OrganizationPicker } from '../../components/widgets';
import { fmtTime, INSTITUTION_TYPE_NAMES, MEMBER_CATEGORY_NAMES, MEMBER_STATUS_NAMES, ORG_KIND_NAMES, ROLE_NAMES } from '../../format';

const MANAGING_KINDS = ['CIVIL_AFFAIRS', 'DISTRICT', 'TOWNSHIP', 'SPONSOR', 'PUBLIC_BUILDER', 'OPERATOR'] as const;

/** A paged list with "next page". */
function usePaged<T>(base: string, params: Record<string, string | undefined> = {}) {
  const [cursor, setCursor] = useState<string | null>(null);
  const list = useApi<Page<T>>(`${base}${qs({ ...params, cursor, limit: 100 })}`);
  const pager = (
    <Space style={{ marginTop: 12 }}>
      {cursor && <Button onClick={() => setCursor(null)}>回到第一页</Button>}
      {list.data?.nextCursor && <Button onClick={() => setCursor(list.data!.nextCursor)}>下一页</Button>}
    </Space>
  );
  return { list, pager };
}

/** A create/edit dialog whose server refusals land beside the fields. */
function EditDialog({ title, open, form, fields, onClose, save, children }: { title: string; open: boolean; form: FormInstance; fields: string[]; onClose: () => void; save: (v: Record<string, unknown>) => Promise<unknown>; children: ReactNode }) {
  const { message } = App.useApp();
  const [error, setError] = useState<unknown>(null);
  return (
    <Modal open={open} title={title} onCancel={onClose} onOk={() => form.submit()} destroyOnHidden>
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v: Record<string, unknown>) => {
          setError(null);
          try {
            await save(Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== '')));
            void message.success('已保存');
            onClose();
          } catch (e) {
            if (!placeServerErrors(form, e, fields)) setError(e);
          }
        }}
      >
        {children}
      </Form>
    </Modal>
  );
}

function Organizations() {
  const { list, pager } = usePaged<Organization>('/organizations');
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  return (
    <>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => { form.resetFields(); setOpen(true); }}>新增组织</Button>
      <ErrorAlert error={list.error} />
      <Table<Organization> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} pagination={false} scroll={{ x: 600 }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '类别', dataIndex: 'kind', render: (k: keyof typeof ORG_KIND_NAMES) => ORG_KIND_NAMES[k] ?? k },
          { title: '上级', dataIndex: 'parentId', render: (id: string | null) => <OrgName id={id} /> },
          { title: '任期届满', dataIndex: 'termEnd', render: (d: string | null) => d ?? '—' },
        ]} />
      {pager}
      <EditDialog title="新增组织" open={open} form={form} fields={['name', 'kind', 'parentId']} onClose={() => { setOpen(false); list.reload(); }} save={(v) => post('/organizations', v)}>
        <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="kind" label="类别" rules={[{ required: true, message: '请选择类别' }]}><Select options={MANAGING_KINDS.map((k) => ({ value: k, label: ORG_KIND_NAMES[k] }))} /></Form.Item>
        <Form.Item name="parentId" label="上级组织"><OrganizationPicker /></Form.Item>
      </EditDialog>
    </>
  );
}

function Institutions() {
  const { list, pager } = usePaged<Institution>('/institutions');
  const [editing, setEditing] = useState<Institution | 'new' | null>(null);
  const [form] = Form.useForm();
  const fields = ['name', 'type', 'district', 'townshipOrgId', 'sponsorOrgId', 'publicBuilderOrgId', 'managedBy', 'operatorName', 'bedCount', 'residentCount'];
  return (
    <>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => { form.resetFields(); setEditing('new'); }}>新增机构</Button>
      <ErrorAlert error={list.error} />
      <Table<Institution> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} pagination={false} scroll={{ x: 720 }}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '类型', dataIndex: 'type', render: (t: keyof typeof INSTITUTION_TYPE_NAMES) => INSTITUTION_TYPE_NAMES[t] },
          { title: '区县', dataIndex: 'district' },
          { title: '镇乡（街道）', dataIndex: 'townshipOrgId', render: (id: string) => <OrgName id={id} /> },
          { title: '床位', dataIndex: 'bedCount', render: (n: number | null) => n ?? '—' },
          { title: '', render: (_, i) => <Button size="small" onClick={() => { form.setFieldsValue(i); setEditing(i); }}>修改</Button> },
        ]} />
      {pager}
      <EditDialog title={editing === 'new' ? '新增机构' : '修改机构'} open={editing !== null} form={form} fields={fields} onClose={() => { setEditing(null); list.reload(); }}
        save={(v) => (editing === 'new' ? post('/institutions', v) : patch(`/institutions/${(editing as Institution).id}`, Object.fromEntries(Object.entries(v).filter(([k]) => fields.includes(k) && k !== 'type'))))}>
        <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="type" label="类型" rules={[{ required: true, message: '请选择类型' }]}><Select disabled={editing !== 'new'} options={Object.entries(INSTITUTION_TYPE_NAMES).map(([value, label]) => ({ value, label }))} /></Form.Item>
        <Form.Item name="district" label="区县" rules={[{ required: true, message: '请填写区县' }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="townshipOrgId" label="属地镇乡（街道）党组织" rules={[{ required: true, message: '请选择' }]}><OrganizationPicker /></Form.Item>
        <Form.Item name="sponsorOrgId" label="举办单位党组织（公办）"><OrganizationPicker /></Form.Item>
        <Form.Item name="publicBuilderOrgId" label="公建方党组织（公建民营）"><OrganizationPicker /></Form.Item>
        <Form.Item name="operatorName" label="运营方"><Input maxLength={200} /></Form.Item>
        <Form.Item name="bedCount" label="床位数"><InputNumber min={0} style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="residentCount" label="入住人数"><InputNumber min={0} style={{ width: '100%' }} /></Form.Item>
      </EditDialog>
    </>
  );
}

function Members() {
  const [institutionId, setInstitutionId] = useState<string>();
  const { list, pager } = usePaged<Member>('/members', { institutionId });
  return (
    <>
      <Space style={{ marginBottom: 12 }}><span>机构</span><div style={{ width: 280 }}><InstitutionPicker value={institutionId} onChange={(v) => setInstitutionId(v as string | undefined)} /></div></Space>
      <ErrorAlert error={list.error} />
      <Table<Member> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} pagination={false} scroll={{ x: 600 }}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '机构', dataIndex: 'institutionId', render: (id: string) => <InstitutionName id={id} /> },
          { title: '类别', dataIndex: 'category', render: (c: keyof typeof MEMBER_CATEGORY_NAMES) => MEMBER_CATEGORY_NAMES[c] },
          { title: '状态', dataIndex: 'status', render: (s: keyof typeof MEMBER_STATUS_NAMES) => MEMBER_STATUS_NAMES[s] },
          { title: '组织关系', dataIndex: 'relationOrgId', render: (id: string | null) => <OrgName id={id} /> },
        ]} />
      {pager}
    </>
  );
}

function Users() {
  const { list, pager } = usePaged<User>('/users');
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [form] = Form.useForm();
  const fields = ['username', 'password', 'displayName', 'email', 'roles', 'organizationIds', 'institutionIds', 'active'];
  return (
    <>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => { form.resetFields(); form.setFieldsValue({ roles: ['APPLICANT'], organizationIds: [], institutionIds: [] }); setEditing('new'); }}>新增用户</Button>
      <ErrorAlert error={list.error} />
      <Table<User> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items ?? []} pagination={false} scroll={{ x: 720 }}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'displayName' },
          { title: '角色', dataIndex: 'roles', render: (rs: Array<keyof typeof ROLE_NAMES>) => rs.map((r) => <Tag key={r}>{ROLE_NAMES[r]}</Tag>) },
          { title: '状态', dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="green">在用</Tag> : <Tag>停用</Tag>) },
          { title: '创建时间', dataIndex: 'createdAt', render: fmtTime },
          { title: '', render: (_, u) => <Button size="small" onClick={() => { form.setFieldsValue({ ...u, password: undefined }); setEditing(u); }}>修改</Button> },
        ]} />
      {pager}
      <EditDialog title={editing === 'new' ? '新增用户' : '修改用户'} open={editing !== null} form={form} fields={fields} onClose={() => { setEditing(null); list.reload(); }}
        save={(v) => (editing === 'new' ? post('/users', v) : patch(`/users/${(editing as User).id}`, Object.fromEntries(Object.entries(v).filter(([k]) => fields.includes(k) && k !== 'username'))))}>
        <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请填写用户名' }]}><Input disabled={editing !== 'new'} /></Form.Item>
        <Form.Item name="password" label={editing === 'new' ? '初始密码' : '新密码（不改请留空）'} rules={editing === 'new' ? [{ required: true, message: '请填写密码' }] : []}><Input.Password autoComplete="new-password" /></Form.Item>
        <Form.Item name="displayName" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="email" label="邮箱" rules={[{ required: true, message: '请填写邮箱' }]}><Input /></Form.Item>
        <Form.Item name="roles" label="角色"><Select mode="multiple" options={Object.entries(ROLE_NAMES).map(([value, label]) => ({ value, label }))} /></Form.Item>
        <Form.Item name="organizationIds" label="审批所属组织"><OrganizationPicker multiple /></Form.Item>
        <Form.Item name="institutionIds" label="申请所属机构"><InstitutionPicker multiple /></Form.Item>
        {editing !== 'new' && <Form.Item name="active" label="在用" valuePropName="checked"><Switch /></Form.Item>}
      </EditDialog>
    </>
  );
}

/** Registry management: organisations, institutions, members, users. */
export default function RegistryPage() {
  return (
    <>
      <PageTitle>组织与人员</PageTitle>
      <Tabs destroyOnHidden items={[
        { key: 'orgs', label: '组织', children: <Organizations /> },
        { key: 'insts', label: '机构', children: <Institutions /> },
        { key: 'members', label: '党员', children: <Members /> },
        { key: 'users', label: '用户', children: <Users /> },
      ]} />
    </>
  );
}
