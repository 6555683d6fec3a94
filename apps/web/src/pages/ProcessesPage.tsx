import { useState } from 'react';
import { Button, Select, Space, Table, Tag } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { qs } from '../api/client';
import type { Page, Process } from '../api/types';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { InstitutionName } from '../components/names';
import { PageTitle } from '../components/PageTitle';
import { fmtTime, KIND_NAMES, kindName, PROCESS_STATUS } from '../format';

export function ProcessTable({ rows, loading }: { rows: Process[]; loading?: boolean }) {
  return (
    <Table<Process>
      rowKey="id"
      size="small"
      loading={loading}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 640 }}
      columns={[
        { title: '事项', dataIndex: 'kind', render: (k: string, p) => <Link to={`/processes/${p.id}`}>{kindName(k)}</Link> },
        { title: '机构', dataIndex: 'institutionId', render: (id: string | null) => <InstitutionName id={id} /> },
        { title: '状态', dataIndex: 'status', render: (s: keyof typeof PROCESS_STATUS) => <Tag color={PROCESS_STATUS[s]?.color}>{PROCESS_STATUS[s]?.text ?? s}</Tag> },
        { title: '提交时间', dataIndex: 'createdAt', render: fmtTime },
        { title: '更新时间', dataIndex: 'updatedAt', render: fmtTime },
      ]}
    />
  );
}

/** My applications (an applicant), or every process a user may read (others), newest first. */
export default function ProcessesPage() {
  const { has } = useAuth();
  const [params] = useSearchParams();
  const [kind, setKind] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const [cursor, setCursor] = useState<string | null>(null);
  const path = `/processes${qs({ kind, status, institutionId: params.get('institutionId'), involvement: has('ADMIN') ? undefined : 'APPLIED', cursor, limit: 50 })}`;
  const { data, error, loading } = useApi<Page<Process>>(path);
  return (
    <>
      <PageTitle>我的申请</PageTitle>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder="全部事项" style={{ width: 180 }} value={kind} onChange={(v) => { setKind(v); setCursor(null); }} options={Object.entries(KIND_NAMES).map(([value, label]) => ({ value, label }))} />
        <Select allowClear placeholder="全部状态" style={{ width: 140 }} value={status} onChange={(v) => { setStatus(v); setCursor(null); }} options={Object.entries(PROCESS_STATUS).map(([value, s]) => ({ value, label: s.text }))} />
      </Space>
      <ErrorAlert error={error} />
      <ProcessTable rows={data?.items ?? []} loading={loading} />
      <Space style={{ marginTop: 12 }}>
        {cursor && <Button onClick={() => setCursor(null)}>回到第一页</Button>}
        {data?.nextCursor && <Button onClick={() => setCursor(data.nextCursor)}>下一页</Button>}
      </Space>
    </>
  );
}
