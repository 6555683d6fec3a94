import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { previousMonth } from '@app/domain';
import { App, Button, Card, Form, Input, InputNumber, Modal, Space, Table, Tabs, Tag } from 'antd';
import { download, post, qs } from '../api/client';
import type { Adjustment, Budget, Page, Payment } from '../api/types';
import { useApi } from '../api/use-api';
import { useAuth } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageTitle } from '../components/PageTitle';
import { FenInput, MonthInput } from '../components/widgets';
import { beijingToday, fmtTime, fmtYuan } from '../format';

/** 经费与补贴 (R14): approved budgets with what each line has spent, the month's stipend payments and their corrections. */
export default function FundsPage() {
  const [params, setParams] = useSearchParams();
  return (
    <>
      <PageTitle>经费与补贴</PageTitle>
      <Tabs
        activeKey={params.get('tab') === 'payments' ? 'payments' : 'budgets'}
        onChange={(tab) => setParams((p) => ({ ...Object.fromEntries(p), tab }))}
        items={[
          { key: 'budgets', label: '年度预算', children: <Budgets /> },
          { key: 'payments', label: '书记补贴发放', children: <Payments /> },
        ]}
      />
    </>
  );
}

function Budgets() {
  const [year, setYear] = useState(Number(beijingToday().slice(0, 4)));
  const [error, setError] = useState<unknown>(null);
  const list = useApi<Page<Budget>>(`/budgets${qs({ year, limit: 200 })}`);
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>预算年度</span>
        <InputNumber aria-label="预算年度" min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        <Button onClick={() => void download(`/exports/budgets${qs({ year, format: 'xlsx' })}`, `党建工作经费预算表-${year}.xlsx`).catch(setError)}>导出 Excel</Button>
        <Button onClick={() => void download(`/exports/budgets${qs({ year, format: 'csv' })}`, `党建工作经费预算表-${year}.csv`).catch(setError)}>导出 CSV</Button>
      </Space>
      <ErrorAlert error={error ?? list.error} />
      <Table<Budget>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: '该年度没有批准的预算' }}
        expandable={{
          expandedRowRender: (b) => (
            <Table
              rowKey="category"
              size="small"
              pagination={false}
              dataSource={b.lines}
              columns={[
                { title: '科目', dataIndex: 'label' },
                { title: '预算', dataIndex: 'amountFen', align: 'right', render: fmtYuan },
                { title: '已支出', dataIndex: 'spentFen', align: 'right', render: fmtYuan },
                { title: '余额', dataIndex: 'remainingFen', align: 'right', render: (v: number) => <span style={{ color: v < 0 ? '#cf1322' : undefined }}>{fmtYuan(v)}</span> },
              ]}
            />
          ),
        }}
        columns={[
          { title: '年度', dataIndex: 'year' },
          { title: '版本', render: (_, b) => <Space size={4}>第 {b.version} 版{b.current ? <Tag color="green">现行</Tag> : <Tag>已调整</Tag>}</Space> },
          { title: '合计', dataIndex: 'totalFen', align: 'right', render: fmtYuan },
          { title: '批准时间', dataIndex: 'approvedAt', render: fmtTime },
        ]}
      />
    </>
  );
}

function Payments() {
  const { me } = useAuth();
  const [params] = useSearchParams();
  const [month, setMonth] = useState(/^\d{4}-\d{2}$/.test(params.get('month') ?? '') ? params.get('month')! : previousMonth(beijingToday().slice(0, 7)));
  const [error, setError] = useState<unknown>(null);
  const [correcting, setCorrecting] = useState<Payment | null>(null);
  const list = useApi<Page<Payment>>(month ? `/payments${qs({ month, limit: 200 })}` : null);
  // The responsible body's approvers and admins record corrections (the API decides who exactly).
  const mayCorrect = !!me && (me.roles.includes('ADMIN') || me.roles.includes('APPROVER'));
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>补贴月份</span>
        <div style={{ width: 140 }}>
          <MonthInput value={month} onChange={(v) => v && setMonth(v)} />
        </div>
        <Button onClick={() => void download(`/exports/payments${qs({ month, format: 'xlsx' })}`, `书记工作补贴发放表-${month}.xlsx`).catch(setError)}>导出 Excel</Button>
        <Button onClick={() => void download(`/exports/payments${qs({ month, format: 'csv' })}`, `书记工作补贴发放表-${month}.csv`).catch(setError)}>导出 CSV</Button>
      </Space>
      <ErrorAlert error={error ?? list.error} />
      <div data-testid="payments">
        <Table<Payment>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          scroll={{ x: 760 }}
          locale={{ emptyText: '该月没有发放记录' }}
          expandable={{ expandedRowRender: (p) => <Adjustments paymentId={p.id} />, rowExpandable: (p) => p.adjustedFen !== 0 }}
          columns={[
            { title: '发放编号', dataIndex: 'reference' },
            { title: '书记', dataIndex: 'memberName' },
            { title: '在任天数', render: (_, p) => `${p.daysInOffice} / ${p.daysInMonth}` },
            { title: '发放金额', dataIndex: 'amountFen', align: 'right', render: fmtYuan },
            { title: '更正', dataIndex: 'adjustedFen', align: 'right', render: (v: number) => (v ? fmtYuan(v) : '—') },
            { title: '实发金额', dataIndex: 'netFen', align: 'right', render: fmtYuan },
            {
              title: '',
              render: (_, p) =>
                mayCorrect ? (
                  <Button size="small" onClick={() => setCorrecting(p)}>
                    登记更正
                  </Button>
                ) : null,
            },
          ]}
        />
      </div>
      {correcting && (
        <CorrectionModal
          payment={correcting}
          onClose={(saved) => {
            setCorrecting(null);
            if (saved) list.reload();
          }}
        />
      )}
    </>
  );
}

function Adjustments({ paymentId }: { paymentId: string }) {
  const list = useApi<Adjustment[]>(`/payments/${paymentId}/adjustments`);
  return (
    <Card size="small" title="更正记录（发放记录不修改，更正另行登记）">
      <ErrorAlert error={list.error} />
      <Table<Adjustment>
        rowKey="id"
        size="small"
        pagination={false}
        loading={list.loading}
        dataSource={list.data ?? []}
        columns={[
          { title: '更正编号', dataIndex: 'reference' },
          { title: '金额', dataIndex: 'amountFen', align: 'right', render: (v: number) => (v > 0 ? `补发 ${fmtYuan(v)}` : `扣回 ${fmtYuan(-v)}`) },
          { title: '原因', dataIndex: 'reason' },
          { title: '更正后实发', dataIndex: 'netFen', align: 'right', render: fmtYuan },
          { title: '登记时间', dataIndex: 'createdAt', render: fmtTime },
        ]}
      />
    </Card>
  );
}

/** A late correction: signed yuan (补发 +, 扣回 −) and a reason; one Idempotency-Key per opened form. */
function CorrectionModal({ payment, onClose }: { payment: Payment; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ amountFen: number; reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [key] = useState(() => crypto.randomUUID());
  return (
    <Modal
      open
      title={`登记补贴更正：${payment.memberName} ${payment.month}`}
      okText="确认登记"
      cancelText="取消"
      confirmLoading={saving}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
    >
      <p>
        已发放 {fmtYuan(payment.amountFen)}，当前实发 {fmtYuan(payment.netFen)}。补发填正数，扣回填负数。
      </p>
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setSaving(true);
          setError(null);
          try {
            await post(`/payments/${payment.id}/adjustments`, v, { 'Idempotency-Key': key });
            void message.success('已登记更正');
            onClose(true);
          } catch (e) {
            setError(e);
          } finally {
            setSaving(false);
          }
        }}
      >
        <Form.Item name="amountFen" label="更正金额" rules={[{ required: true, message: '请填写更正金额' }]}>
          <FenInput signed />
        </Form.Item>
        <Form.Item name="reason" label="更正原因" rules={[{ required: true, whitespace: true, message: '请填写更正原因' }]}>
          <Input.TextArea maxLength={500} rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
