import { useRef, useState } from 'react';
import { App, Button, Card, Col, Descriptions, Form, Input, List, Modal, Radio, Row, Select, Skeleton, Space, Tag, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router';
import { descriptorOf } from '@contracts/processes';
import { api, download, post } from '../../api/client';
import { useKinds } from '../../api/kinds';
import type { Decision, ProcessDetail, Task } from '../../api/types';
import { useApi } from '../../api/use-api';
import { useAuth } from '../../auth';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgName } from '../../components/names';
import { PageTitle } from '../../components/PageTitle';
import { ProcessDetailView } from '../../components/ProcessDetailView';
import { SchemaForm, type SchemaFormHandle } from '../../components/SchemaForm';
import { OrganizationPicker } from '../../components/widgets';
import { DECISION_NAMES, fmtTime, kindName, TASK_STATUS } from '../../format';

interface Attachment {
  id: string;
  fileName: string;
  sizeBytes: number;
  createdAt: string;
  decisionId: string | null;
}

/** The approver's task: what is asked, the request and its findings, attachments, the diagram and timeline, and the decision. */
export default function TaskPage() {
  const { id = '' } = useParams();
  const { me } = useAuth();
  const { message } = App.useApp();
  const task = useApi<Task>(`/tasks/${id}`);
  const t = task.data;
  const proc = useApi<ProcessDetail>(t ? `/processes/${t.processId}` : null);
  const attachments = useApi<Attachment[]>(`/tasks/${id}/attachments`);
  const { data: kinds } = useKinds();
  const kind = kinds?.find((k) => k.kind === t?.kind);
  const step = kind?.steps?.find((s) => s.id === t?.step);
  const [decision, setDecision] = useState<Decision | undefined>();
  const [comment, setComment] = useState('');
  const [uploaded, setUploaded] = useState<Attachment[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<null | 'transfer' | 'add-signer'>(null);
  const dataForm = useRef<SchemaFormHandle>(null);

  if (task.loading && !t) return <Skeleton active />;
  if (task.error) return <ErrorAlert error={task.error} />;
  if (!t) return null;
  const reloadAll = () => {
    task.reload();
    proc.reload();
    attachments.reload();
  };
  const open = t.status === 'OPEN';
  const decisions = step?.decisions ?? (['APPROVE', 'REJECT', 'RETURN'] as Decision[]);
  const stepData = descriptorOf(t.kind)?.steps[t.step]?.data ?? null;

  const submit = async () => {
    setError(null);
    if (!decision) return setError(new Error('请选择办理结果'));
    let data: Record<string, unknown> | undefined;
    if (decision === 'APPROVE' && step?.dataSchema && dataForm.current) {
      const parsed = await dataForm.current.validate();
      if (!parsed) return;
      data = parsed;
    }
    setBusy(true);
    try {
      await post(`/tasks/${id}/decision`, { decision, comment, ...(data ? { data } : {}), ...(uploaded.length ? { attachmentIds: uploaded.map((a) => a.id) } : {}) });
      void message.success(`已${DECISION_NAMES[decision]}`);
      setUploaded([]);
      reloadAll();
    } catch (e) {
      if (!dataForm.current?.showServerErrors(e, 'data.')) setError(e);
    } finally {
      setBusy(false);
    }
  };

  const act = async (fn: () => Promise<unknown>, done: string) => {
    setError(null);
    try {
      await fn();
      void message.success(done);
      setDialog(null);
      reloadAll();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <>
      <PageTitle extra={<Link to={`/processes/${t.processId}`}>查看流程</Link>}>{t.title}</PageTitle>
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 4 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="事项">{kind?.label ?? kindName(t.kind)}</Descriptions.Item>
        <Descriptions.Item label="办理单位">{t.candidateOrgId ? <OrgName id={t.candidateOrgId} /> : '申请机构'}</Descriptions.Item>
        <Descriptions.Item label="办理期限">
          {fmtTime(t.dueAt)} {open && (t.overdue || new Date(t.dueAt) < new Date()) && <Tag color="red">已逾期</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label="状态">
          <span data-testid="task-status">{TASK_STATUS[t.status]}</span>
          {t.decision ? `（${DECISION_NAMES[t.decision]}）` : ''}
        </Descriptions.Item>
      </Descriptions>
      {step && <Card size="small" style={{ marginBottom: 16 }}>需要您办理：{step.title}。审批主体：{step.decidedBy}</Card>}
      <ErrorAlert error={error} />
      <Row gutter={[16, 16]}>
        {open && (
          <Col xs={24} lg={10}>
            <Card title="办理" data-testid="decision-card">
              <Form layout="vertical">
                <Form.Item label="办理结果" required>
                  <Radio.Group value={decision} onChange={(e) => setDecision(e.target.value as Decision)} optionType="button" buttonStyle="solid">
                    {decisions.map((d) => (
                      <Radio.Button key={d} value={d}>
                        {DECISION_NAMES[d]}
                      </Radio.Button>
                    ))}
                  </Radio.Group>
                </Form.Item>
                <Form.Item label="审批意见">
                  <Input.TextArea aria-label="审批意见" autoSize={{ minRows: 3 }} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} showCount />
                </Form.Item>
                <Form.Item label="附件">
                  <Upload
                    customRequest={async ({ file, onSuccess, onError }) => {
                      const body = new FormData();
                      body.append('file', file as Blob);
                      try {
                        const a = await api<Attachment>('POST', `/tasks/${id}/attachments`, body);
                        setUploaded((u) => [...u, a]);
                        onSuccess?.(a);
                      } catch (e) {
                        setError(e);
                        onError?.(e as Error);
                      }
                    }}
                    showUploadList={false}
                  >
                    <Button icon={<UploadOutlined />}>上传附件</Button>
                  </Upload>
                  {uploaded.map((a) => (
                    <div key={a.id}>{a.fileName}</div>
                  ))}
                </Form.Item>
              </Form>
              {decision === 'APPROVE' && step?.dataSchema && (
                <Card size="small" title="本环节需填写" style={{ marginBottom: 16 }}>
                  <SchemaForm ref={dataForm} schema={step.dataSchema} zod={stepData} prefix="data." institutionId={proc.data?.institutionId ?? undefined} />
                </Card>
              )}
              <Space wrap>
                <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="submit-decision">
                  提交
                </Button>
                {t.candidateOrgId && <Button onClick={() => setDialog('transfer')}>转交</Button>}
                <Button onClick={() => setDialog('add-signer')}>加签</Button>
              </Space>
            </Card>
          </Col>
        )}
        {!open && t.decidedById === me?.id && (
          <Col xs={24}>
            <Card size="small">
              您已办理此待办。下一位审批人尚未办理时可以取回重新办理。
              <Button style={{ marginLeft: 12 }} onClick={() => void act(() => post(`/tasks/${id}/pull-back`, { comment: '取回重新办理' }), '已取回')}>
                取回
              </Button>
            </Card>
          </Col>
        )}
        <Col xs={24} lg={open ? 14 : 24}>
          <Card size="small" title="附件" style={{ marginBottom: 16 }}>
            <List
              size="small"
              dataSource={attachments.data ?? []}
              locale={{ emptyText: '暂无附件' }}
              renderItem={(a) => (
                <List.Item actions={[<a key="d" onClick={() => void download(`/attachments/${a.id}`, a.fileName).catch(setError)}>下载</a>]}>
                  <span className="attachment-name">{a.fileName}</span>（{Math.ceil(a.sizeBytes / 1024)} KB，{fmtTime(a.createdAt)}）
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
      <div style={{ marginTop: 16 }}>{proc.data ? <ProcessDetailView process={proc.data} kind={kind} /> : <ErrorAlert error={proc.error} />}</div>
      <TransferDialog open={dialog === 'transfer'} orgId={t.candidateOrgId} meId={me?.id} onCancel={() => setDialog(null)} onOk={(toUserId, c) => void act(() => post(`/tasks/${id}/transfer`, { toUserId, comment: c }), '已转交')} />
      <AddSignerDialog open={dialog === 'add-signer'} onCancel={() => setDialog(null)} onOk={(orgId, position, c) => void act(() => post(`/tasks/${id}/add-signer`, { orgId, position, comment: c }), '已加签')} />
    </>
  );
}

function TransferDialog({ open, orgId, meId, onCancel, onOk }: { open: boolean; orgId: string | null; meId?: string; onCancel: () => void; onOk: (toUserId: string, comment: string) => void }) {
  const people = useApi<Array<{ id: string; displayName: string }>>(open && orgId ? `/organizations/${orgId}/approvers` : null);
  const [to, setTo] = useState<string>();
  const [comment, setComment] = useState('');
  return (
    <Modal open={open} title="转交给本组织的其他审批人" okButtonProps={{ disabled: !to }} onCancel={onCancel} onOk={() => to && onOk(to, comment)}>
      <ErrorAlert error={people.error} />
      <Select style={{ width: '100%', marginBottom: 12 }} placeholder="选择审批人" value={to} onChange={setTo} options={(people.data ?? []).filter((p) => p.id !== meId).map((p) => ({ value: p.id, label: p.displayName }))} />
      <Input.TextArea aria-label="转交说明" placeholder="转交说明" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
    </Modal>
  );
}

function AddSignerDialog({ open, onCancel, onOk }: { open: boolean; onCancel: () => void; onOk: (orgId: string, position: 'BEFORE' | 'AFTER', comment: string) => void }) {
  const [org, setOrg] = useState<string>();
  const [position, setPosition] = useState<'BEFORE' | 'AFTER'>('AFTER');
  const [comment, setComment] = useState('');
  return (
    <Modal open={open} title="加签：请另一组织一并审批" okButtonProps={{ disabled: !org }} onCancel={onCancel} onOk={() => org && onOk(org, position, comment)}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <OrganizationPicker value={org} onChange={(v) => setOrg(v as string | undefined)} />
        <Radio.Group value={position} onChange={(e) => setPosition(e.target.value as 'BEFORE' | 'AFTER')}>
          <Radio value="BEFORE">前加签（先请对方审批）</Radio>
          <Radio value="AFTER">后加签（我同意后再请对方审批）</Radio>
        </Radio.Group>
        <Input.TextArea aria-label="加签说明" placeholder="加签说明" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
      </Space>
    </Modal>
  );
}
