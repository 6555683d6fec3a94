import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { useParams } from 'react-router';
import { patch, post, qs } from '../../api/client';
import type { Institution, Member, Page } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { DateInput } from '../../components/widgets';
import { MEMBER_CATEGORY_NAMES, MEMBER_STATUS_NAMES } from '../../format';
import { ImportPanel } from '../admin/ImportsPage';

/** An institution's party members: the register, adding and correcting records, and the spreadsheet import (its applicants and admins). */
export default function MembersPage() {
  const { id = '' } = useParams();
  const { has, me } = useAuth();
  const maintains = has('ADMIN') || (has('APPLICANT') && (me?.institutionIds ?? []).includes(id));
  const { message } = App.useApp();
  const inst = useApi<Institution>(`/institutions/${id}`);
  const [cursor, setCursor] = useState<string | null>(null);
  const list = useApi<Page<Member>>(`/members${qs({ institutionId: id, cursor, limit: 100 })}`);
  const [editing, setEditing] = useState<Member | 'new' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm();
  const openEditor = (m: Member | 'new') => {
    setError(null);
    form.setFieldsValue(m === 'new' ? { name: '', category: 'STAFF', status: 'FULL', birthDate: undefined, disabled: false, dementia: false } : m);
    setEditing(m);
  };
  return (
    <>
      <PageTitle extra={<Button type="primary" onClick={() => openEditor('new')}>新增党员</Button>}>{inst.data?.name ?? ''} 党员名册</PageTitle>
      <ErrorAlert error={list.error ?? inst.error} />
      <Table<Member>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 600 }}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '类别', dataIndex: 'category', render: (c: keyof typeof MEMBER_CATEGORY_NAMES) => MEMBER_CATEGORY_NAMES[c] },
          { title: '党员状态', dataIndex: 'status', render: (s: keyof typeof MEMBER_STATUS_NAMES) => <Tag color={s === 'FULL' ? 'red' : 'orange'}>{MEMBER_STATUS_NAMES[s]}</Tag> },
          { title: '出生日期', dataIndex: 'birthDate', render: (d: string | null) => d ?? '—' },
          { title: '', render: (_, m) => <Button size="small" onClick={() => openEditor(m)}>修改</Button> },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        {cursor && <Button onClick={() => setCursor(null)}>回到第一页</Button>}
        {list.data?.nextCursor && <Button onClick={() => setCursor(list.data!.nextCursor)}>下一页</Button>}
      </Space>
      {maintains && (
        <Card title="从表格导入党员" style={{ marginTop: 16 }}>
          <ImportPanel kind="members" onDone={list.reload} />
        </Card>
      )}
      <Modal
        open={editing !== null}
        title={editing === 'new' ? '新增党员' : '修改党员信息'}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <ErrorAlert error={error} />
        <Form
          form={form}
          layout="vertical"
          onFinish={async (v: Record<string, unknown>) => {
            setError(null);
            const body = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== ''));
            try {
              if (editing === 'new') await post('/members', { ...body, institutionId: id });
              else if (editing) await patch(`/members/${editing.id}`, { name: body.name, category: body.category, status: body.status, birthDate: body.birthDate ?? null, disabled: body.disabled, dementia: body.dementia });
              void message.success('已保存');
              setEditing(null);
              list.reload();
            } catch (e) {
              setError(e);
            }
          }}
        >
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="category" label="类别">
            <Select options={Object.entries(MEMBER_CATEGORY_NAMES).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="status" label="党员状态">
            <Select options={Object.entries(MEMBER_STATUS_NAMES).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="birthDate" label="出生日期">
            <DateInput />
          </Form.Item>
          <Form.Item name="disabled" label="失能" valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="dementia" label="失智" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
