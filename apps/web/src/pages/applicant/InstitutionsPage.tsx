import { Button, Card, Col, Descriptions, Empty, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { Compliance, Institution, Page } from '../../api/types';
import { useApi } from '../../api/use-api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Findings } from '../../components/Findings';
import { OrgName } from '../../components/names';
import { PageTitle } from '../../components/PageTitle';
import { INSTITUTION_TYPE_NAMES, REQUIRED_ACTION_NAMES, TERM_STATUS_NAMES } from '../../format';

/** 合规卡片: what the policy asks of the institution now, why (quoting the policy), and what is due. */
function ComplianceCard({ institution }: { institution: Institution }) {
  const { data: c, error, loading } = useApi<Compliance>(`/institutions/${institution.id}/compliance`);
  return (
    <Card
      title={institution.name}
      data-testid="institution-card"
      extra={<Tag>{INSTITUTION_TYPE_NAMES[institution.type]}</Tag>}
      actions={[
        <Link key="m" to={`/institutions/${institution.id}/members`}>党员名册</Link>,
        <Link key="a" to={`/apply?institutionId=${institution.id}`}>发起申请</Link>,
        <Link key="p" to={`/processes?institutionId=${institution.id}`}>申请记录</Link>,
      ]}
    >
      <ErrorAlert error={error} />
      {loading && <Skeleton active />}
      {c && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="应采取的行动">
              <Typography.Text strong data-testid="required-action">{REQUIRED_ACTION_NAMES[c.requiredAction as keyof typeof REQUIRED_ACTION_NAMES] ?? c.requiredAction}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="负责的党组织">{c.responsibleBodyId ? <OrgName id={c.responsibleBodyId} /> : '—'}</Descriptions.Item>
            <Descriptions.Item label="本机构党组织">{c.partyOrganizationId ? <OrgName id={c.partyOrganizationId} /> : '尚未建立'}</Descriptions.Item>
            <Descriptions.Item label="正式党员（职工 / 老人）">{c.fullStaffMembers} / {c.fullElderlyMembers}</Descriptions.Item>
            <Descriptions.Item label="可成立老年人党支部">{c.elderlyBranchEligible ? '是' : '否'}</Descriptions.Item>
            <Descriptions.Item label="任期">{c.termStatus ? TERM_STATUS_NAMES[c.termStatus] ?? c.termStatus : '—'}</Descriptions.Item>
            <Descriptions.Item label="应选派">{c.dispatchRoleDue ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="应转接组织关系">{c.transfersDue.length} 人{c.transferExempt.length ? `（${c.transferExempt.length} 人可不转接）` : ''}</Descriptions.Item>
          </Descriptions>
          <Typography.Text type="secondary">依据</Typography.Text>
          <Findings findings={c.findings} />
        </Space>
      )}
    </Card>
  );
}

export default function InstitutionsPage() {
  const { data, error, loading } = useApi<Page<Institution>>('/institutions?limit=50');
  return (
    <>
      <PageTitle extra={<Link to="/apply"><Button type="primary">发起申请</Button></Link>}>我的机构</PageTitle>
      <ErrorAlert error={error} />
      {loading && <Skeleton active />}
      {data && data.items.length === 0 && <Empty description="您的账号尚未关联机构" />}
      <Row gutter={[16, 16]}>
        {data?.items.map((i) => (
          <Col key={i.id} xs={24} lg={12}>
            <ComplianceCard institution={i} />
          </Col>
        ))}
      </Row>
    </>
  );
}
