import { useState } from 'react';
import { Button, Select, Space, Switch, Table, Tag, Tooltip } from 'antd';
import { Link } from 'react-router';
import { qs } from '../../api/client';
import type { AdminProcessRow, Page } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { fmtTime, KIND_NAMES, kindName, PROCESS_STATUS } from '../../format';
import type { ProcessSummary } from './DashboardPage';

/** The Temporal Web UI's page of one workflow. */
export const temporalLink = (s: ProcessSummary | undefined, workflowId: string): string | null =>
  s ? `${s.temporalUiUrl}/namespaces/${encodeURIComponent(s.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}` : null;

const WF_COLORS: Record<string, string> = { RUNNING: 'processing', COMPLETED: 'success', FAILED: 'error', TERMINATED: 'error', UNKNOWN: 'default', UNAVAILABLE: 'warning' };

/** Every process: the database's view beside the live Temporal state, with a link into the Temporal Web UI. */
export default function AdminProcessesPage() {
  const [kind, setKind] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [overdue, setOverdue] = useState(false);
  const [cursor, setCursor] = useState<string | null>(null);
  const list = useApi<Page<AdminProcessRow>>(`/admin/processes${qs({ kind, status, overdue: overdue ? 'true' : undefined, cursor, limit: 50 })}`);
  const summary = useApi<ProcessSummary>('/admin/processes/summary');
  return (
    <>
      <PageTitle>流程监控</PageTitle>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder="全部事项" style={{ width: 180 }} value={kind} onChange={(v) => { setKind(v); setCursor(null); }} options={Object.entries(KIND_NAMES).map(([value, label]) => ({ value, label }))} />
        <Select allowClear placeholder="全部状态" style={{ width: 140 }} value={status} onChange={(v) => { setStatus(v); setCursor(null); }} options={Object.entries(PROCESS_STATUS).map(([value, s]) => ({ value, label: s.text }))} />
        <span>
          只看逾期 <Switch checked={overdue} onChange={(v) => { setOverdue(v); setCursor(null); }} />
        </span>
        <Button onClick={list.reload}>刷新</Button>
      </Space>
      <ErrorAlert error={list.error} />
      <Table<AdminProcessRow>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 960 }}
        data-testid="admin-processes"
        columns={[
          { title: '事项', dataIndex: 'kind', render: (k: string, r) => <Link to={`/admin/processes/${r.id}`}>{kindName(k)}</Link> },
          { title: '机构', dataIndex: 'institutionName' },
          { title: '状态', dataIndex: 'status', render: (s: keyof typeof PROCESS_STATUS) => <Tag color={PROCESS_STATUS[s]?.color}>{PROCESS_STATUS[s]?.text ?? s}</Tag> },
          { title: '当前环节', dataIndex: 'currentStep' },
          {
            title: 'Temporal 状态',
            dataIndex: 'workflowStatus',
            render: (w: string, r) => (
              <Space size={4} wrap>
                <Tag color={WF_COLORS[w]}>{w}</Tag>
                {r.inSync === false && <Tooltip title="数据库状态与工作流状态不一致"><Tag color="red">不一致</Tag></Tooltip>}
              </Space>
            ),
          },
          { title: '事件数', dataIndex: 'historyLength', render: (n: number | null) => n ?? '—' },
          { title: '进行中的活动', render: (_, r) => (r.pendingActivities.count ? `${r.pendingActivities.count}（${r.pendingActivities.activityTypes.join('、')}）` : '—') },
          { title: '逾期待办', render: (_, r) => r.openTasks.filter((t) => t.overdue).length || '—' },
          { title: '更新时间', dataIndex: 'updatedAt', render: fmtTime },
          {
            title: 'Temporal',
            render: (_, r) => {
              const href = temporalLink(summary.data, r.workflowId);
              return href ? <a href={href} target="_blank" rel="noreferrer noopener">查看工作流</a> : null;
            },
          },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        {cursor && <Button onClick={() => setCursor(null)}>回到第一页</Button>}
        {list.data?.nextCursor && <Button onClick={() => setCursor(list.data!.nextCursor)}>下一页</Button>}
      </Space>
    </>
  );
}
