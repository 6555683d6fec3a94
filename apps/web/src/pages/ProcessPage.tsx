import { useRef, useState } from 'react';
import { App, Button, Card, Input, Modal, Skeleton, Space } from 'antd';
import { useParams } from 'react-router';
import { descriptorOf } from '@contracts/processes';
import { post } from '../api/client';
import { useKinds } from '../api/kinds';
import type { ProcessDetail } from '../api/types';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageTitle } from '../components/PageTitle';
import { ProcessDetailView } from '../components/ProcessDetailView';
import { SchemaForm, type SchemaFormHandle } from '../components/SchemaForm';
import { kindName } from '../format';

/** A process for whoever may read it; its applicant may urge (催办), withdraw (撤回) and, after a RETURN, resubmit. */
export default function ProcessPage() {
  const { id = '' } = useParams();
  const { me } = useAuth();
  const { message } = App.useApp();
  const { data: p, error, loading, reload } = useApi<ProcessDetail>(`/processes/${id}`);
  const { data: kinds } = useKinds();
  const [actionError, setActionError] = useState<unknown>(null);
  const [withdrawing, setWithdrawing] = useState(false);
  const [reason, setReason] = useState('');
  const form = useRef<SchemaFormHandle>(null);
  if (loading && !p) return <Skeleton active />;
  if (error) return <ErrorAlert error={error} />;
  if (!p) return null;
  const kind = kinds?.find((k) => k.kind === p.kind);
  const mine = p.applicantId === me?.id;
  const open = p.status === 'RUNNING' || p.status === 'RETURNED';
  const act = async (fn: () => Promise<unknown>, done: string) => {
    setActionError(null);
    try {
      await fn();
      void message.success(done);
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  return (
    <>
      <PageTitle
        extra={
          mine && open ? (
            <Space wrap>
              {p.status === 'RUNNING' && <Button onClick={() => void act(() => post(`/processes/${id}/urge`), '已催办')}>催办</Button>}
              <Button danger onClick={() => setWithdrawing(true)}>撤回申请</Button>
            </Space>
          ) : null
        }
      >
        {kind?.label ?? kindName(p.kind)}
      </PageTitle>
      <ErrorAlert error={actionError} />
      {mine && p.status === 'RETURNED' && kind?.payloadSchema && (
        <Card title="修改后重新提交" style={{ marginBottom: 16 }} data-testid="resubmit-card">
          <SchemaForm
            ref={form}
            schema={kind.payloadSchema}
            zod={descriptorOf(p.kind)?.payload ?? null}
            initialValues={p.payload as Record<string, unknown>}
            submitText="重新提交"
            onSubmit={async (values) => {
              await post(`/processes/${id}/resubmit`, values);
              void message.success('已重新提交');
              reload();
            }}
          />
        </Card>
      )}
      <ProcessDetailView process={p} kind={kind} />
      <Modal
        open={withdrawing}
        title="撤回申请"
        okText="确认撤回"
        okButtonProps={{ danger: true, disabled: reason.trim() === '' }}
        onCancel={() => setWithdrawing(false)}
        onOk={() => void act(() => post(`/processes/${id}/withdraw`, { reason }), '已撤回').then(() => setWithdrawing(false))}
      >
        <Input.TextArea aria-label="撤回原因" placeholder="请填写撤回原因" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </Modal>
    </>
  );
}
