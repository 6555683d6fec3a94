import { Alert, Typography } from 'antd';
import { ApiError } from '../api/client';

/** A refusal as people read it: the message, then each field or policy finding it names (always as text). */
export function ErrorAlert({ error, style }: { error: unknown; style?: React.CSSProperties }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : [];
  const title = error instanceof ApiError && error.status === 403 ? `无权操作：${message}` : message;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16, ...style }}
      message={title}
      description={
        details.length > 0 ? (
          <ul style={{ margin: 0, paddingLeft: 20 }}>
            {details.map((d, i) => (
              <li key={i}>
                {d.ruleId ? `${d.ruleId}：` : d.field ? `${d.field}：` : ''}
                {d.message}
                {d.source && <Typography.Text type="secondary">（依据：{d.source}）</Typography.Text>}
              </li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
