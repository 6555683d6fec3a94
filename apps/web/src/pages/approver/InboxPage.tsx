import { useState } from 'react';
import { App, Button, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { post, qs } from '../../api/client';
import type { Page, Process, Task } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { ProcessTable } from '../ProcessesPage';
import { DECISION_NAMES, fmtTime, KIND_NAMES, kindName, TASK_STATUS } from '../../format';
import { INBOX_PAGE, openTasksPath } from '../../warm-start';

const isOverdue = (t: Task): boolean => t.status === 'OPEN' && (t.overdue || new Date(t.dueAt).getTime() < Date.now());

function TaskList({ decided, kind }: { decided: boolean; kind?: string }) {
  const { message } = App.useApp();
  const [cursor, setCursor] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [batchOpen, setBatchOpen] = useState(false);
  const [comment, setComment] = useState('同意');
  const [batchError, setBatchError] = useState<unknown>(null);
  const path = decided ? `/tasks${qs({ decided: 'true', kind, cursor, limit: INBOX_PAGE })}` : openTasksPath(kind, cursor);
  const { data, error, loading, reload } = useApi<Page<Task>>(path);
  return (
    <>
      <ErrorAlert error={error ?? batchError} />
      {!decided && (
        <Space style={{ marginBottom: 8 }} wrap>
          <Button disabled={selected.length === 0} onClick={() => setBatchOpen(true)} data-testid="batch-approve">
            批量同意（{selected.length}）
          </Button>
        </Space>
      )}
      <Table<Task>
        rowKey="id"
        size="small"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        rowSelection={decided ? undefined : { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }}
        data-testid={decided ? 'done-table' : 'todo-table'}
        columns={[
          {
            title: '事项',
            dataIndex: 'title',
            render: (title: string, t) => (
              <Space direction="vertical" size={0}>
                <Link to={`/tasks/${t.id}`}>{title}</Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {kindName(t.kind)}
                  {typeof t.payloadSummary?.name === 'string' ? ` · ${t.payloadSummary.name}` : ''}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: '办理期限',
            dataIndex: 'dueAt',
            render: (d: string, t) => (
              <Space size={4} wrap>
                <span>{fmtTime(d)}</span>
                {isOverdue(t) && <Tag color="red">已逾期</Tag>}
              </Space>
            ),
          },
          decided
            ? { title: '我的决定', dataIndex: 'decision', render: (d: keyof typeof DECISION_NAMES | null, t) => (d ? `${DECISION_NAMES[d]}（${fmtTime(t.decidedAt)}）` : TASK_STATUS[t.status]) }
            : { title: '状态', dataIndex: 'status', render: (s: keyof typeof TASK_STATUS) => TASK_STATUS[s] },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        {cursor && <Button onClick={() => setCursor(null)}>回到第一页</Button>}
        {data?.nextCursor && <Button onClick={() => setCursor(data.nextCursor)}>下一页</Button>}
      </Space>
      <Modal
        open={batchOpen}
        title={`批量同意 ${selected.length} 项`}
        okText="确认同意"
        onCancel={() => setBatchOpen(false)}
        onOk={async () => {
          setBatchError(null);
          try {
            const res = await post<{ results: Array<{ taskId: string; status: number; body: unknown }> }>('/tasks/batch-decision', { taskIds: selected, decision: 'APPROVE', comment });
            const ok = res.results.filter((r) => r.status === 200).length;
            if (ok === res.results.length) void message.success(`已同意 ${ok} 项`);
            else {
              const why = res.results.filter((r) => r.status !== 200).map((r) => (r.body as { message?: string } | null)?.message ?? String(r.status));
              void message.warning(`已同意 ${ok} 项，${res.results.length - ok} 项未办理：${why.join('；')}`);
            }
            setSelected([]);
            reload();
          } catch (e) {
            setBatchError(e);
          }
          setBatchOpen(false);
        }}
      >
        <Input.TextArea aria-label="审批意见" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
      </Modal>
    </>
  );
}

function ProcessList({ involvement, kind }: { involvement: 'APPLIED' | 'CC'; kind?: string }) {
  const [cursor, setCursor] = useState<string | null>(null);
  const { data, error, loading } = useApi<Page<Process>>(`/processes${qs({ involvement, kind, cursor })}`);
  return (
    <>
      <ErrorAlert error={error} />
      <ProcessTable rows={data?.items ?? []} loading={loading} />
      <Space style={{ marginTop: 12 }}>
        {cursor && <Button onClick={() => setCursor(null)}>回到第一页</Button>}
        {data?.nextCursor && <Button onClick={() => setCursor(data.nextCursor)}>下一页</Button>}
      </Space>
    </>
  );
}

/** 待办 / 已办 / 我发起的 / 抄送我的, the open tasks by due date (the earliest first), filtered by kind. */
export default function InboxPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'todo';
  const kind = params.get('kind') ?? undefined;
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  return (
    <>
      <PageTitle
        extra={
          <Select
            allowClear
            placeholder="全部事项"
            style={{ width: 200 }}
            value={kind}
            onChange={(v) => set('kind', v)}
            options={Object.entries(KIND_NAMES).map(([value, label]) => ({ value, label }))}
            aria-label="按事项筛选"
          />
        }
      >
        待办事项
      </PageTitle>
      <Tabs
        activeKey={tab}
        onChange={(k) => set('tab', k)}
        destroyOnHidden
        items={[
          { key: 'todo', label: '待办', children: <TaskList decided={false} kind={kind} /> },
          { key: 'done', label: '已办', children: <TaskList decided kind={kind} /> },
          { key: 'mine', label: '我发起的', children: <ProcessList involvement="APPLIED" kind={kind} /> },
          { key: 'cc', label: '抄送我的', children: <ProcessList involvement="CC" kind={kind} /> },
        ]}
      />
    </>
  );
}
