import { useState } from 'react';
import { App, Button, Card, Descriptions, Empty, Form, Input, InputNumber, Space, Table, Tag } from 'antd';
import { post, qs } from '../api/client';
import type { Dispatch, DispatchDetail, Page } from '../api/types';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { InstitutionName, OrgName } from '../components/names';
import { PageTitle } from '../components/PageTitle';
import { DateInput } from '../components/widgets';
import { beijingToday, DISPATCH_ROLE_NAMES, fmtTime } from '../format';

const WEEK: Record<string, { text: string; color: string }> = {
  MET: { text: '达标', color: 'green' },
  MISSED: { text: '缺勤', color: 'red' },
  EXEMPT: { text: '免考核', color: 'default' },
};
const ALERT: Record<string, string> = { REMIND_PERSON: '提醒本人', ESCALATE_DISPATCHER: '上报选派单位', ESCALATE_PARENT: '上报上级党组织' };

/** 选派与驻点 (R8–R10): dispatched secretaries, first secretaries and instructors, their weekly duty and its alerts. */
export default function DispatchesPage() {
  const list = useApi<Page<Dispatch>>(`/dispatches${qs({ limit: 200 })}`);
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <>
      <PageTitle>选派与驻点</PageTitle>
      <ErrorAlert error={list.error} />
      <Table<Dispatch>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 720 }}
        locale={{ emptyText: '没有可查看的选派记录' }}
        onRow={(d) => ({ onClick: () => setOpenId(d.id), style: { cursor: 'pointer' } })}
        rowClassName={(d) => (d.id === openId ? 'ant-table-row-selected' : '')}
        columns={[
          { title: '人员', dataIndex: 'personName' },
          { title: '职务', dataIndex: 'role', render: (r: string) => DISPATCH_ROLE_NAMES[r] ?? r },
          { title: '机构', dataIndex: 'institutionId', render: (id: string) => <InstitutionName id={id} /> },
          { title: '选派单位', dataIndex: 'dispatchingOrgId', render: (id: string) => <OrgName id={id} /> },
          { title: '期限', render: (_, d) => `${d.fromDate} 至 ${d.toDate ?? '未定'}` },
          { title: '状态', dataIndex: 'status', render: (s: string) => (s === 'ACTIVE' ? <Tag color="green">在岗</Tag> : <Tag>已结束</Tag>) },
        ]}
      />
      {openId && <DispatchCard id={openId} />}
    </>
  );
}

function DispatchCard({ id }: { id: string }) {
  const { me } = useAuth();
  const { message } = App.useApp();
  const detail = useApi<DispatchDetail>(`/dispatches/${id}`);
  const [error, setError] = useState<unknown>(null);
  const [form] = Form.useForm<{ date: string; hours: number; note?: string }>();
  const d = detail.data;
  if (!d) return <ErrorAlert error={detail.error} />;
  const mine = d.personUserId === me?.id;
  const confirmer = !!me && me.roles.includes('APPLICANT') && me.institutionIds.includes(d.institutionId);
  const act = async (f: () => Promise<unknown>, done: string): Promise<void> => {
    setError(null);
    try {
      await f();
      void message.success(done);
      detail.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Card style={{ marginTop: 16 }} title={`${d.personName}（${DISPATCH_ROLE_NAMES[d.role] ?? d.role}）`}>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="机构">
          <InstitutionName id={d.institutionId} />
        </Descriptions.Item>
        <Descriptions.Item label="选派单位">
          <OrgName id={d.dispatchingOrgId} />
        </Descriptions.Item>
        <Descriptions.Item label="期限">{`${d.fromDate} 至 ${d.toDate ?? '未定'}`}</Descriptions.Item>
        <Descriptions.Item label="请假周">{d.leaveWeeks.length ? d.leaveWeeks.join('、') : '—'}</Descriptions.Item>
        {d.status === 'ENDED' && <Descriptions.Item label="结束">{`${d.endedOn ?? ''} ${d.endReason ?? ''}`}</Descriptions.Item>}
      </Descriptions>
      <ErrorAlert error={error} />
      {mine && d.status === 'ACTIVE' && (
        <Card size="small" title="登记驻点（每周至少半天，经机构确认后计入，R9）" style={{ marginBottom: 16 }}>
          <Form form={form} layout="inline" initialValues={{ date: beijingToday(), hours: 4 }} onFinish={(v) => void act(() => post('/duty-logs', { dispatchId: d.id, ...v }), '已登记驻点')}>
            <Form.Item name="date" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
              <DateInput />
            </Form.Item>
            <Form.Item name="hours" label="时长（小时）" rules={[{ required: true, message: '请填写时长' }]}>
              <InputNumber min={0.25} max={24} step={0.5} />
            </Form.Item>
            <Form.Item name="note" label="内容">
              <Input maxLength={500} placeholder="组织学习、走访老人等" />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              登记
            </Button>
          </Form>
        </Card>
      )}
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Table
          rowKey="week"
          size="small"
          title={() => '每周评定（每周一零时评定上一周）'}
          pagination={false}
          dataSource={d.weeks}
          locale={{ emptyText: <Empty description="尚无评定的周" /> }}
          columns={[
            { title: '周', dataIndex: 'week' },
            { title: '周一', dataIndex: 'weekStart' },
            { title: '评定', dataIndex: 'status', render: (s: string) => <Tag color={WEEK[s]?.color}>{WEEK[s]?.text ?? s}</Tag> },
            { title: '确认时长', dataIndex: 'confirmedHours', render: (h: number) => `${h} 小时` },
            { title: '连续缺勤', dataIndex: 'consecutiveMissed', render: (n: number) => (n ? `${n} 周` : '—') },
          ]}
        />
        {d.alerts.length > 0 && (
          <Table
            rowKey={(a) => `${a.kind}:${a.week}`}
            size="small"
            title={() => '缺勤提醒与上报'}
            pagination={false}
            dataSource={d.alerts}
            columns={[
              { title: '周', dataIndex: 'week' },
              { title: '处理', dataIndex: 'kind', render: (k: string) => ALERT[k] ?? k },
              { title: '连续缺勤', dataIndex: 'consecutiveMissed', render: (n: number) => `${n} 周` },
              { title: '时间', dataIndex: 'createdAt', render: fmtTime },
            ]}
          />
        )}
        <Table
          rowKey="id"
          size="small"
          title={() => '驻点记录'}
          pagination={false}
          dataSource={d.dutyLogs}
          locale={{ emptyText: <Empty description="尚无驻点记录" /> }}
          columns={[
            { title: '日期', dataIndex: 'date' },
            { title: '时长', dataIndex: 'hours', render: (h: number) => `${h} 小时` },
            { title: '内容', dataIndex: 'note' },
            {
              title: '机构确认',
              render: (_, l) =>
                l.confirmedAt ? (
                  <Tag color="green">已确认 {fmtTime(l.confirmedAt)}</Tag>
                ) : confirmer && l.loggedById !== me?.id ? (
                  <Button size="small" onClick={() => void act(() => post(`/duty-logs/${l.id}/confirm`), '已确认')}>
                    确认
                  </Button>
                ) : (
                  <Tag>待确认</Tag>
                ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}
