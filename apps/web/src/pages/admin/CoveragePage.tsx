import { useState } from 'react';
import { Card, Col, InputNumber, Row, Skeleton, Space, Statistic, Table, Tag } from 'antd';
import type { CoverageReport } from '../../api/types';
import { useApi } from '../../api/use-api';
import { BarChart } from '../../components/BarChart';
import { ErrorAlert } from '../../components/ErrorAlert';
import { OrgName } from '../../components/names';
import { PageTitle } from '../../components/PageTitle';
import { beijingToday, INSTITUTION_TYPE_NAMES, REQUIRED_ACTION_NAMES } from '../../format';

const FIRMNESS: Record<string, string> = { FIRM: '实现', ASPIRATIONAL: '力争', NONE: '不设目标' };
const typeName = (t: string) => INSTITUTION_TYPE_NAMES[t as keyof typeof INSTITUTION_TYPE_NAMES] ?? t;

/** R16 coverage by type and district against the year's targets, and the institutions short of them. */
export default function CoveragePage() {
  const [year, setYear] = useState(Number(beijingToday().slice(0, 4)));
  const { data, error, loading } = useApi<CoverageReport>(`/admin/coverage?year=${year}`);
  return (
    <>
      <PageTitle extra={<Space>统计年度 <InputNumber aria-label="统计年度" min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} /></Space>}>覆盖率统计</PageTitle>
      <ErrorAlert error={error} />
      {loading && !data && <Skeleton active />}
      {data && (
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}><Card size="small"><Statistic title="机构总数" value={data.totals.total} /></Card></Col>
          <Col xs={12} md={6}><Card size="small"><Statistic title="已实现覆盖" value={data.totals.met} valueRender={(v) => <span data-testid="coverage-met">{v}</span>} /></Card></Col>
          <Col xs={12} md={6}><Card size="small"><Statistic title="组织覆盖" value={data.totals.organisationCovered} valueRender={(v) => <span data-testid="coverage-org">{v}</span>} /></Card></Col>
          <Col xs={12} md={6}><Card size="small"><Statistic title="覆盖率" value={data.totals.metPercent ?? 0} suffix="%" /></Card></Col>
          <Col xs={24} lg={12}>
            <Card size="small" title="按机构类型">
              <BarChart
                testId="chart-by-type"
                categories={data.byType.map((t) => typeName(t.type))}
                series={[
                  { name: '已覆盖', stack: 'n', values: data.byType.map((t) => t.met), color: '#c41d1d' },
                  { name: '未覆盖', stack: 'n', values: data.byType.map((t) => t.short), color: '#d9d9d9' },
                  { name: '目标（应覆盖）', line: true, values: data.byType.map((t) => (t.targetApplies ? t.total : 0)), color: '#1677ff' },
                ]}
              />
              <Table
                size="small"
                rowKey="type"
                pagination={false}
                scroll={{ x: 480 }}
                dataSource={data.byType}
                columns={[
                  { title: '类型', dataIndex: 'type', render: typeName },
                  { title: '目标', render: (_, t) => (t.targetApplies ? `${t.target.targetDate ?? ''} ${FIRMNESS[t.target.firmness] ?? t.target.firmness}` : '—') },
                  { title: '总数', dataIndex: 'total' },
                  { title: '已覆盖', dataIndex: 'met' },
                  { title: '覆盖率', dataIndex: 'metPercent', render: (p: number | null) => (p === null ? '—' : `${p}%`) },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card size="small" title="按区县">
              <BarChart
                testId="chart-by-district"
                categories={data.byDistrict.map((d) => d.district)}
                series={[
                  { name: '已覆盖', stack: 'n', values: data.byDistrict.map((d) => d.met), color: '#c41d1d' },
                  { name: '未覆盖', stack: 'n', values: data.byDistrict.map((d) => d.short), color: '#d9d9d9' },
                  { name: '目标内应覆盖', line: true, values: data.byDistrict.map((d) => d.targetTotal), color: '#1677ff' },
                ]}
              />
              <Table
                size="small"
                rowKey="district"
                pagination={false}
                scroll={{ x: 480 }}
                dataSource={data.byDistrict}
                columns={[
                  { title: '区县', dataIndex: 'district' },
                  { title: '总数', dataIndex: 'total' },
                  { title: '已覆盖', dataIndex: 'met' },
                  { title: '目标内达标', render: (_, d) => `${d.targetMet} / ${d.targetTotal}` },
                  { title: '覆盖率', dataIndex: 'metPercent', render: (p: number | null) => (p === null ? '—' : `${p}%`) },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24}>
            <Card size="small" title={`未达目标的机构（${data.shortOfTarget.length}）`}>
              <Table
                size="small"
                rowKey="institutionId"
                pagination={{ pageSize: 20 }}
                scroll={{ x: 720 }}
                dataSource={data.shortOfTarget}
                data-testid="short-of-target"
                columns={[
                  { title: '机构', dataIndex: 'name' },
                  { title: '类型', dataIndex: 'type', render: typeName },
                  { title: '区县', dataIndex: 'district' },
                  { title: '应采取的行动', dataIndex: 'requiredAction', render: (a: string) => <Tag>{REQUIRED_ACTION_NAMES[a as keyof typeof REQUIRED_ACTION_NAMES] ?? a}</Tag> },
                  { title: '负责的党组织', dataIndex: 'responsibleBodyId', render: (id: string | null) => <OrgName id={id} /> },
                  { title: '正式党员（职工/老人）', render: (_, r) => `${r.fullStaffMembers} / ${r.fullElderlyMembers}` },
                ]}
              />
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
