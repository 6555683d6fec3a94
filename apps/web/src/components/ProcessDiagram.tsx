import { Card, Grid, Steps, Typography } from 'antd';
import type { ProcessDetail, ProcessKindInfo, TimelineEvent } from '../api/types';
import { fmtTime, PROCESS_STATUS } from '../format';
import { OrgName } from './names';

type StepState = 'finish' | 'process' | 'wait' | 'error';

/**
 * 流程图: the kind's steps from its descriptor, drawn from the process's own record: the steps done, the current
 * step with who holds it and its due date, and the steps still to come. A human step the process passed without a
 * task (e.g. the builder's designation of a PUBLIC institution) reads "无需办理".
 */
export function ProcessDiagram({ process, kind }: { process: ProcessDetail; kind: ProcessKindInfo | undefined }) {
  const screens = Grid.useBreakpoint();
  const steps = kind?.steps ?? [];
  if (steps.length === 0) return null;
  const timeline = process.timeline as TimelineEvent[];
  const touched = new Set(timeline.map((e) => e.step));
  const closed = process.closedAt !== null;
  let current = steps.findIndex((s) => s.id === process.currentStep);
  if (current < 0) current = closed ? steps.length : Math.max(0, ...steps.map((s, i) => (touched.has(s.id) ? i : 0)));
  const ended = process.status === 'APPROVED' ? steps.length : current;

  const items = steps.map((s, i) => {
    let status: StepState = 'wait';
    let description: React.ReactNode = s.decidedBy;
    const opened = [...timeline].reverse().find((e) => e.step === s.id && e.action === 'TASK_OPENED');
    if (i < ended || (closed && process.status === 'APPROVED')) {
      status = 'finish';
      if (!s.system && !touched.has(s.id)) description = '无需办理';
    } else if (i === current) {
      if (closed) status = process.status === 'APPROVED' ? 'finish' : 'error';
      else status = process.status === 'RETURNED' ? 'error' : 'process';
      if (!closed && opened?.data) {
        const d = opened.data as { candidateOrgId?: string | null; assigneeId?: string; dueAt?: string };
        description = (
          <span data-testid="diagram-current">
            办理：{d.candidateOrgId ? <OrgName id={d.candidateOrgId} /> : '申请机构'}
            <br />
            期限：{fmtTime(d.dueAt)}
          </span>
        );
      }
      if (process.status === 'RETURNED') description = '已退回申请人修改';
      if (closed && process.status !== 'APPROVED') description = PROCESS_STATUS[process.status as keyof typeof PROCESS_STATUS]?.text ?? process.status;
    }
    return { key: s.id, title: s.title, status, description: <Typography.Text type="secondary" style={{ fontSize: 12 }}>{description}</Typography.Text> };
  });

  return (
    <Card size="small" title="流程图" data-testid="process-diagram">
      <Steps size="small" direction={screens.md ? 'horizontal' : 'vertical'} labelPlacement={screens.md ? 'vertical' : undefined} items={items} />
    </Card>
  );
}
