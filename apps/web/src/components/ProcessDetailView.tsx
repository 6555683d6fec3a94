import { Card, Col, Descriptions, Row, Space, Tag } from 'antd';
import type { Finding, ProcessDetail, ProcessKindInfo, TimelineEvent } from '../api/types';
import { fmtTime, kindName, PROCESS_STATUS } from '../format';
import { Findings } from './Findings';
import { InstitutionName } from './names';
import { PayloadView } from './PayloadView';
import { ProcessDiagram } from './ProcessDiagram';
import { ProcessTimeline } from './ProcessTimeline';

/** A process as every page shows it: its state, the diagram (流程图), the request, the policy's findings, the timeline. */
export function ProcessDetailView({ process, kind }: { process: ProcessDetail; kind?: ProcessKindInfo }) {
  const status = PROCESS_STATUS[process.status as keyof typeof PROCESS_STATUS];
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 3 }}>
        <Descriptions.Item label="事项">{kind?.label ?? kindName(process.kind)}</Descriptions.Item>
        <Descriptions.Item label="状态">
          <Tag color={status?.color} data-testid="process-status">{status?.text ?? process.status}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label="机构"><InstitutionName id={process.institutionId} /></Descriptions.Item>
        <Descriptions.Item label="提交时间">{fmtTime(process.createdAt)}</Descriptions.Item>
        <Descriptions.Item label="办结时间">{fmtTime(process.closedAt)}</Descriptions.Item>
        <Descriptions.Item label="流程编号"><span style={{ wordBreak: 'break-all' }}>{process.id}</span></Descriptions.Item>
      </Descriptions>
      <ProcessDiagram process={process} kind={kind} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card size="small" title="申请内容">
            <PayloadView payload={(process.payload ?? {}) as Record<string, unknown>} schema={kind?.payloadSchema} institutionId={process.institutionId} />
          </Card>
          <Card size="small" title="政策检查" style={{ marginTop: 16 }}>
            <Findings findings={(process.findings ?? []) as Finding[]} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title="办理记录">
            <ProcessTimeline events={process.timeline as TimelineEvent[]} steps={kind?.steps} />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
