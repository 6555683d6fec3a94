import { Card, Col, Descriptions, Row, Skeleton, Statistic, Table, Tag } from 'antd';
import { Link } from 'react-router';
import type { OverdueReport, QueueReport } from '../../api/types';
import { useApi } from '../../api/use-api';
import { BarChart } from '../../components/BarChart';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { fmtTime, kindName, PROCESS_STATUS } from '../../format';

export interface ProcessSummary {
  counts: Array<{ kind: string; status: string; count: number }>;
  temporalUiUrl: string;
  temporalNamespace: string;
}

/** 运行概况: processes by kind and status, overdue work, terms past due, and the email queue's health. */
export default function DashboardPage() {
  const summary = useApi<ProcessSummary>('/admin/processes/summary');
  const overdue = useApi<OverdueReport>('/admin/overdue');
  const queues = useApi<QueueReport>('/admin/queues');
  const counts = summary.data?.counts ?? [];
  const kinds = [...new Set(counts.map((c) => c.kind))];
  const statuses = Object.keys(PROCESS_STATUS) as Array<keyof typeof PROCESS_STATUS>;
  const total = (s: string) => counts.filter((c) => c.status === s).reduce((a, c) => a + c.count, 0);
  return (
    <>
      <PageTitle>运行概况</PageTitle>
      <ErrorAlert error={summary.error ?? overdue.error ?? queues.error} />
      <Row gutter={[16, 16]}>
        {(['RUNNING', 'RETURNED', 'APPROVED', 'REJECTED'] as const).map((s) => (
          <Col key={s} xs={12} md={6}>
            <Card size="small">
              <Statistic title={`${PROCESS_STATUS[s].text}的流程`} value={total(s)} valueRender={(v) => <span data-testid={`count-${s}`}>{v}</span>} />
            </Card>
          </Col>
        ))}
        <Col xs={24} lg={14}>
          <Card size="small" title="各类流程（按状态）">
            {summary.loading ? (
              <Skeleton active />
            ) : (
              <BarChart
                testId="chart-processes"
                categories={kinds.map(kindName)}
                series={statuses.map((s) => ({ name: PROCESS_STATUS[s].text, stack: 'all', values: kinds.map((k) => counts.find((c) => c.kind === k && c.status === s)?.count ?? 0) }))}
              />
            )}
            <Table
              size="small"
              rowKey={(r) => `${r.kind}/${r.status}`}
              pagination={false}
              dataSource={counts}
              data-testid="process-counts"
              columns={[
                { title: '流程', dataIndex: 'kind', render: kindName },
                { title: '状态', dataIndex: 'status', render: (s: keyof typeof PROCESS_STATUS) => <Tag color={PROCESS_STATUS[s]?.color}>{PROCESS_STATUS[s]?.text ?? s}</Tag> },
                { title: '数量', dataIndex: 'count' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title="邮件队列" style={{ marginBottom: 16 }}>
            {queues.data && (
              <Descriptions size="small" column={2}>
                <Descriptions.Item label="Redis">{queues.data.redis === 'up' ? <Tag color="green">正常</Tag> : <Tag color="red">不可用</Tag>}</Descriptions.Item>
                <Descriptions.Item label="等待发送">{queues.data.counts?.waiting ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="重试中">{queues.data.counts?.delayed ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="发送失败">{queues.data.counts?.failed ?? '—'}</Descriptions.Item>
                <Descriptions.Item label="发件箱待发">{queues.data.outbox.PENDING}</Descriptions.Item>
                <Descriptions.Item label="发件箱失败">{queues.data.outbox.FAILED}</Descriptions.Item>
              </Descriptions>
            )}
          </Card>
          <Card size="small" title="逾期与到期">
            {overdue.data && (
              <Row gutter={8}>
                <Col span={12}><Statistic title="逾期待办" value={overdue.data.counts.tasks} /></Col>
                <Col span={12}><Statistic title="任期届满未换届" value={overdue.data.counts.terms} /></Col>
                <Col span={12}><Statistic title="驻点不足" value={overdue.data.counts.dispatches} /></Col>
                <Col span={12}><Statistic title="后台重试中的活动" value={overdue.data.counts.activities} /></Col>
              </Row>
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title="逾期待办（逾期最久的在前）">
            <Table
              size="small"
              rowKey="taskId"
              pagination={{ pageSize: 10 }}
              scroll={{ x: 640 }}
              dataSource={overdue.data?.tasks ?? []}
              columns={[
                { title: '待办', dataIndex: 'title', render: (t: string, r) => <Link to={`/admin/processes/${r.processId}`}>{t}</Link> },
                { title: '机构', dataIndex: 'institutionName' },
                { title: '办理单位', dataIndex: 'candidateOrgName' },
                { title: '期限', dataIndex: 'dueAt', render: fmtTime },
                { title: '已逾期', dataIndex: 'overdueText' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24}>
          <Card size="small" title="任期已届满的党组织">
            <Table
              size="small"
              rowKey="organizationId"
              pagination={{ pageSize: 10 }}
              scroll={{ x: 560 }}
              dataSource={overdue.data?.terms ?? []}
              columns={[
                { title: '党组织', dataIndex: 'name' },
                { title: '机构', dataIndex: 'institutionName' },
                { title: '任期届满', dataIndex: 'termEnd' },
                { title: '已过天数', dataIndex: 'expiredDays' },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
