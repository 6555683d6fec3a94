import { Timeline, Typography } from 'antd';
import type { KindStep, TimelineEvent } from '../api/types';
import { actionName, fmtTime, KERNEL_STEP_NAMES } from '../format';
import { OrgName } from './names';

const COLORS: Record<string, string> = { APPROVE: 'green', REJECT: 'red', RETURN: 'orange', WITHDRAWN: 'gray', TASK_OVERDUE: 'red' };

/** The process's audit trail, oldest first: who did what, when (Beijing time), and what they wrote (as text). */
export function ProcessTimeline({ events, steps }: { events: readonly TimelineEvent[]; steps?: readonly KindStep[] }) {
  const stepTitle = (id: string) => steps?.find((s) => s.id === id)?.title ?? KERNEL_STEP_NAMES[id] ?? id;
  return (
    <Timeline
      data-testid="timeline"
      items={events.map((e, i) => {
        const data = e.data ?? {};
        return {
          key: i,
          color: COLORS[e.action] ?? 'blue',
          children: (
            <div>
              <div>
                <Typography.Text strong>{actionName(e.action)}</Typography.Text>
                <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
                  {fmtTime(e.at)} · {stepTitle(e.step)}
                </Typography.Text>
              </div>
              {e.actor && <div style={{ fontSize: 13 }}>办理人：{e.actor}</div>}
              {e.action === 'TASK_OPENED' && typeof data.candidateOrgId === 'string' && (
                <div style={{ fontSize: 13 }}>
                  送达：<OrgName id={data.candidateOrgId} />，期限 {fmtTime(String(data.dueAt ?? ''))}
                </div>
              )}
              {Array.isArray(data.attachments) && data.attachments.length > 0 && (
                <div style={{ fontSize: 13 }}>附件：{(data.attachments as Array<{ fileName?: string }>).map((a) => a.fileName ?? '').join('、')}</div>
              )}
              {e.comment && (
                <div className="timeline-comment" style={{ whiteSpace: 'pre-wrap', fontSize: 13, color: '#444' }}>
                  意见：{e.comment}
                </div>
              )}
            </div>
          ),
        };
      })}
    />
  );
}
