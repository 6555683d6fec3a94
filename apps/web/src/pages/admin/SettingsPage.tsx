import { useState } from 'react';
import { App, Button, Card, Col, Input, Modal, Row, Table, Tabs, Tag } from 'antd';
import { patch } from '../../api/client';
import type { Calendar, Page, Policy, SettingsAudit } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { DateInput } from '../../components/widgets';
import { fmtTime } from '../../format';

function Audit({ path }: { path: string }) {
  const { data, error, loading } = useApi<Page<SettingsAudit>>(`${path}?limit=100`);
  return (
    <>
      <ErrorAlert error={error} />
      <Table<SettingsAudit>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={{ pageSize: 20 }}
        scroll={{ x: 640 }}
        columns={[
          { title: '时间', dataIndex: 'createdAt', render: fmtTime },
          { title: '修改人', dataIndex: 'changedByName' },
          { title: '修改内容', dataIndex: 'changes', render: (c: unknown) => <code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(c)}</code> },
        ]}
      />
    </>
  );
}

/** The policy's defaults (DOMAIN.md), each editable as JSON, with the audit of every change. */
function PolicySettings() {
  const { message } = App.useApp();
  const { data, error, reload } = useApi<Policy>('/admin/settings/policy');
  const [editing, setEditing] = useState<{ key: string; text: string } | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const rows = Object.entries(data ?? {}).map(([key, value]) => ({ key, value }));
  return (
    <>
      <ErrorAlert error={error} />
      <Table
        size="small"
        rowKey="key"
        dataSource={rows}
        pagination={false}
        scroll={{ x: 600 }}
        columns={[
          { title: '设置项', dataIndex: 'key' },
          { title: '当前值', dataIndex: 'value', render: (v: unknown) => <code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(v)}</code> },
          { title: '', render: (_, r) => <Button size="small" onClick={() => { setSaveError(null); setEditing({ key: r.key, text: JSON.stringify(r.value, null, 2) }); }}>修改</Button> },
        ]}
      />
      <Modal
        open={editing !== null}
        title={`修改 ${editing?.key ?? ''}`}
        onCancel={() => setEditing(null)}
        onOk={async () => {
          if (!editing) return;
          setSaveError(null);
          let value: unknown;
          try {
            value = JSON.parse(editing.text);
          } catch {
            setSaveError(new Error('请填写有效的 JSON 值'));
            return;
          }
          try {
            await patch('/admin/settings/policy', { [editing.key]: value });
            void message.success('已保存（记入审计）');
            setEditing(null);
            reload();
          } catch (e) {
            setSaveError(e);
          }
        }}
      >
        <ErrorAlert error={saveError} />
        <Input.TextArea aria-label="设置值（JSON）" autoSize={{ minRows: 3, maxRows: 12 }} value={editing?.text} onChange={(e) => setEditing((x) => (x ? { ...x, text: e.target.value } : x))} />
      </Modal>
    </>
  );
}

/** The working-day calendar: holidays and make-up workdays, added or removed one date at a time. */
function CalendarSettings() {
  const { message } = App.useApp();
  const { data, error, reload } = useApi<Calendar>('/admin/settings/calendar');
  const [date, setDate] = useState<string>();
  const [saveError, setSaveError] = useState<unknown>(null);
  const change = async (body: Record<string, string[]>) => {
    setSaveError(null);
    try {
      await patch('/admin/settings/calendar', body);
      void message.success('已保存（记入审计）');
      reload();
    } catch (e) {
      setSaveError(e);
    }
  };
  const list = (title: string, key: 'holidays' | 'extraWorkdays', dates: readonly string[]) => (
    <Card size="small" title={title}>
      {dates.map((d) => (
        <Tag key={d} closable onClose={(e) => { e.preventDefault(); void change({ [key === 'holidays' ? 'removeHolidays' : 'removeExtraWorkdays']: [d] }); }} style={{ marginBottom: 4 }}>
          {d}
        </Tag>
      ))}
    </Card>
  );
  return (
    <>
      <ErrorAlert error={error ?? saveError} />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8}><DateInput value={date} onChange={setDate} /></Col>
        <Col xs={24} md={16}>
          <Button disabled={!date} onClick={() => date && void change({ addHolidays: [date] })} style={{ marginRight: 8 }}>设为节假日</Button>
          <Button disabled={!date} onClick={() => date && void change({ addExtraWorkdays: [date] })}>设为调休上班日</Button>
        </Col>
        <Col xs={24} md={12}>{list('节假日（工作日放假）', 'holidays', data?.holidays ?? [])}</Col>
        <Col xs={24} md={12}>{list('调休上班日（周末上班）', 'extraWorkdays', data?.extraWorkdays ?? [])}</Col>
      </Row>
    </>
  );
}

export default function SettingsPage() {
  return (
    <>
      <PageTitle>政策与日历设置</PageTitle>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'policy', label: '政策参数', children: <PolicySettings /> },
          { key: 'policy-audit', label: '政策参数修改记录', children: <Audit path="/admin/settings/policy/audit" /> },
          { key: 'calendar', label: '工作日历', children: <CalendarSettings /> },
          { key: 'calendar-audit', label: '日历修改记录', children: <Audit path="/admin/settings/calendar/audit" /> },
        ]}
      />
    </>
  );
}
