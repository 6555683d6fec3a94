import { Card, Skeleton, Space, Table, Typography } from 'antd';
import { useParams } from 'react-router';
import { useKinds } from '../../api/kinds';
import type { ProcessDetail, ProcessHistory } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { ProcessDetailView } from '../../components/ProcessDetailView';
import { fmtTime, kindName } from '../../format';
import type { ProcessSummary } from './DashboardPage';
import { temporalLink } from './AdminProcessesPage';

/** A process for the admin: everything the applicant and approver see, plus the workflow's event history. */
export default function AdminProcessPage() {
  const { id = '' } = useParams();
  const proc = useApi<ProcessDetail>(`/processes/${id}`);
  const history = useApi<ProcessHistory>(`/admin/processes/${id}/history`);
  const summary = useApi<ProcessSummary>('/admin/processes/summary');
  const { data: kinds } = useKinds();
  if (proc.loading && !proc.data) return <Skeleton active />;
  if (proc.error) return <ErrorAlert error={proc.error} />;
  const p = proc.data!;
  const href = temporalLink(summary.data, p.workflowId);
  return (
    <>
      <PageTitle extra={href && <a href={href} target="_blank" rel="noreferrer noopener">在 Temporal Web UI 中查看</a>}>{kindName(p.kind)}</PageTitle>
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <ProcessDetailView process={p} kind={kinds?.find((k) => k.kind === p.kind)} />
        <Card size="small" title={`工作流事件历史${history.data ? `（${history.data.eventCount} 条）` : ''}`}>
          <ErrorAlert error={history.error} />
          {history.data?.note && <Typography.Paragraph type="secondary">{history.data.note}</Typography.Paragraph>}
          <Table
            size="small"
            rowKey="eventId"
            loading={history.loading}
            dataSource={history.data?.events ?? []}
            pagination={{ pageSize: 50 }}
            scroll={{ x: 640 }}
            data-testid="history"
            columns={[
              { title: '#', dataIndex: 'eventId', width: 60 },
              { title: '时间', dataIndex: 'time', render: fmtTime },
              { title: '事件', dataIndex: 'type' },
              { title: '要点', dataIndex: 'details', render: (d: Record<string, string | number>) => Object.entries(d).map(([k, v]) => `${k}=${v}`).join('，') },
            ]}
          />
        </Card>
      </Space>
    </>
  );
}
