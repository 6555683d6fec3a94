import { useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, Select, Table, Tag } from 'antd';
import { del, get, post } from '../../api/client';
import type { Delegation } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { DateInput } from '../../components/widgets';
import { beijingToday, fmtTime } from '../../format';

/** 委托: a colleague of the same organisation stands in while the approver is away. */
export default function DelegationsPage() {
  const { me } = useAuth();
  const { message } = App.useApp();
  const list = useApi<Delegation[]>('/delegations');
  const [people, setPeople] = useState<Array<{ id: string; displayName: string }>>([]);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm();
  useEffect(() => {
    // Colleagues: the approvers of every organisation the user acts for.
    void Promise.all((me?.organizationIds ?? []).map((o) => get<Array<{ id: string; displayName: string }>>(`/organizations/${o}/approvers`).catch(() => []))).then((lists) => {
      const seen = new Map(lists.flat().filter((p) => p.id !== me?.id).map((p) => [p.id, p]));
      setPeople([...seen.values()]);
    });
  }, [me]);
  const name = (id: string) => (id === me?.id ? '本人' : people.find((p) => p.id === id)?.displayName ?? id.slice(0, 8));
  return (
    <>
      <PageTitle>委托设置</PageTitle>
      <ErrorAlert error={error ?? list.error} />
      <Card title="新增委托" style={{ maxWidth: 640, marginBottom: 16 }}>
        <Form
          form={form}
          layout="vertical"
          initialValues={{ startsOn: beijingToday() }}
          onFinish={async (v: { deputyId: string; startsOn: string; endsOn: string; reason?: string }) => {
            setError(null);
            try {
              await post('/delegations', v);
              void message.success('已设置委托');
              form.resetFields();
              list.reload();
            } catch (e) {
              setError(e);
            }
          }}
        >
          <Form.Item name="deputyId" label="代理人" rules={[{ required: true, message: '请选择代理人' }]}>
            <Select options={people.map((p) => ({ value: p.id, label: p.displayName }))} placeholder="同组织的审批人" />
          </Form.Item>
          <Form.Item name="startsOn" label="开始日期" rules={[{ required: true, message: '请选择开始日期' }]}>
            <DateInput />
          </Form.Item>
          <Form.Item name="endsOn" label="结束日期" rules={[{ required: true, message: '请选择结束日期' }]}>
            <DateInput />
          </Form.Item>
          <Form.Item name="reason" label="事由">
            <Input maxLength={500} />
          </Form.Item>
          <Button type="primary" htmlType="submit">保存</Button>
        </Form>
      </Card>
      <Table<Delegation>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        columns={[
          { title: '委托人', dataIndex: 'userId', render: name },
          { title: '代理人', dataIndex: 'deputyId', render: name },
          { title: '期间', render: (_, d) => `${d.startsOn} 至 ${d.endsOn}` },
          { title: '事由', dataIndex: 'reason' },
          { title: '状态', render: (_, d) => (d.revokedAt ? <Tag>已撤销 {fmtTime(d.revokedAt)}</Tag> : <Tag color="green">有效</Tag>) },
          {
            title: '',
            render: (_, d) =>
              !d.revokedAt && d.userId === me?.id ? (
                <Button size="small" danger onClick={() => void del(`/delegations/${d.id}`).then(list.reload, setError)}>
                  撤销
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
