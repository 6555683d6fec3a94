import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Col, Row, Space, Table, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { api, download, qs } from '../../api/client';
import type { ImportResult } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';

const TITLES = { institutions: '机构', members: '党员' } as const;

/** One spreadsheet import (.xlsx or .csv with Chinese headers) and its per-row report. */
export function ImportPanel({ kind, onDone }: { kind: keyof typeof TITLES; onDone?: () => void }) {
  const [partial, setPartial] = useState(false);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Upload
          accept=".xlsx,.csv"
          showUploadList={false}
          customRequest={async ({ file }) => {
            setBusy(true);
            setError(null);
            setResult(null);
            const body = new FormData();
            body.append('file', file as Blob);
            try {
              setResult(await api<ImportResult>('POST', `/imports/${kind}${qs({ partial: partial ? 'true' : undefined })}`, body));
              onDone?.();
            } catch (e) {
              setError(e);
            } finally {
              setBusy(false);
            }
          }}
        >
          <Button icon={<UploadOutlined />} loading={busy} data-testid={`import-${kind}`}>选择{TITLES[kind]}表格并导入</Button>
        </Upload>
        <Checkbox checked={partial} onChange={(e) => setPartial(e.target.checked)}>只导入正确的行（跳过有误的行）</Checkbox>
        <Button type="link" onClick={() => void download(`/imports/templates/${kind}`, `${TITLES[kind]}导入模板.xlsx`).catch(setError)}>下载模板</Button>
      </Space>
      <ErrorAlert error={error} />
      {result && (
        <>
          <Alert
            type={result.rejected.length ? 'warning' : 'success'}
            showIcon
            message={`已导入 ${result.accepted} 行${result.rejected.length ? `，${result.rejected.length} 处有误${partial ? '（已跳过）' : '（整个文件未导入）'}` : ''}`}
          />
          {result.rejected.length > 0 && (
            <Table
              size="small"
              rowKey={(r) => `${r.row}/${r.field}`}
              pagination={{ pageSize: 20 }}
              dataSource={result.rejected}
              data-testid="import-report"
              columns={[
                { title: '行', dataIndex: 'row', width: 70 },
                { title: '列', dataIndex: 'field' },
                { title: '问题', dataIndex: 'message' },
              ]}
            />
          )}
        </>
      )}
    </Space>
  );
}

export default function ImportsPage() {
  return (
    <>
      <PageTitle>数据导入</PageTitle>
      <Row gutter={[16, 16]}>
        {(Object.keys(TITLES) as Array<keyof typeof TITLES>).map((k) => (
          <Col key={k} xs={24} lg={12}>
            <Card title={`导入${TITLES[k]}`}>
              <ImportPanel kind={k} />
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
