import { List, Tag, Typography } from 'antd';
import type { Finding } from '../api/types';
import { SEVERITY } from '../format';

/** The policy's findings, each with its rule and the seed sentence it quotes. */
export function Findings({ findings }: { findings: readonly Finding[] }) {
  if (findings.length === 0) return <Typography.Text type="secondary">无政策提示</Typography.Text>;
  return (
    <List
      size="small"
      dataSource={[...findings]}
      renderItem={(f) => (
        <List.Item style={{ display: 'block' }}>
          <Tag color={SEVERITY[f.severity]?.color}>{SEVERITY[f.severity]?.text ?? f.severity}</Tag>
          <Tag>{f.ruleId}</Tag>
          <span>{f.message}</span>
          <blockquote style={{ margin: '6px 0 0', padding: '4px 10px', borderLeft: '3px solid #e8e8e8', color: '#666' }}>{f.source}</blockquote>
        </List.Item>
      )}
    />
  );
}
