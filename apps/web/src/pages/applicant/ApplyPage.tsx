import { Card, Col, Row, Skeleton, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useKinds } from '../../api/kinds';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { kindName } from '../../format';

/** Every process kind the API knows: the ones built open a form, the others read "尚未开放". */
export default function ApplyPage() {
  const { data, error, loading } = useKinds();
  const [params] = useSearchParams();
  const inst = params.get('institutionId');
  return (
    <>
      <PageTitle>发起申请</PageTitle>
      <ErrorAlert error={error} />
      {loading && <Skeleton active />}
      <Row gutter={[16, 16]}>
        {data?.map((k) => (
          <Col key={k.kind} xs={24} md={12} xl={8}>
            <Card
              data-testid={`kind-${k.kind}`}
              title={k.label ?? kindName(k.kind)}
              extra={k.available ? <Link to={`/apply/${k.kind}${inst ? `?institutionId=${inst}` : ''}`}>填写申请</Link> : <Tag>尚未开放</Tag>}
            >
              <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                {k.available ? k.summary : '该类流程尚未开放，开放后可在此发起。'}
              </Typography.Paragraph>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
