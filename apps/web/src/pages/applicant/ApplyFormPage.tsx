import { Card, Result, Skeleton, Typography } from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { descriptorOf } from '@contracts/processes';
import { post } from '../../api/client';
import { useKinds } from '../../api/kinds';
import type { Process } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageTitle } from '../../components/PageTitle';
import { SchemaForm } from '../../components/SchemaForm';
import { kindName } from '../../format';

/** The request form of any kind, from its descriptor; nothing here is specific to one kind. */
export default function ApplyFormPage() {
  const { kind = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { data, error, loading } = useKinds();
  const info = data?.find((k) => k.kind === kind);
  if (loading) return <Skeleton active />;
  if (error) return <ErrorAlert error={error} />;
  if (!info) return <Result status="404" title="没有这种流程" />;
  if (!info.available || !info.payloadSchema) return <Result status="info" title={`${kindName(kind)}：尚未开放`} />;
  const institutionId = params.get('institutionId') ?? undefined;
  return (
    <>
      <PageTitle>{info.label}</PageTitle>
      <Card style={{ maxWidth: 720 }}>
        <Typography.Paragraph type="secondary">{info.summary}</Typography.Paragraph>
        <SchemaForm
          schema={info.payloadSchema}
          zod={descriptorOf(kind)?.payload ?? null}
          initialValues={institutionId ? { institutionId } : undefined}
          submitText="提交申请"
          onSubmit={async (values) => {
            const p = await post<Process>(`/processes/${kind}`, values);
            navigate(`/processes/${p.id}`);
          }}
        />
      </Card>
    </>
  );
}
