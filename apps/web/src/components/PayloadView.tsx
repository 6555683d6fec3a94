import { Descriptions } from 'antd';
import type { JsonSchema, Member, Page } from '../api/types';
import { useApi } from '../api/use-api';
import { fieldLabel, fmtYuan } from '../format';
import { InstitutionName, OrgName } from './names';

function MemberNames({ ids, institutionId }: { ids: string[]; institutionId: string | null }) {
  const { data } = useApi<Page<Member>>(institutionId ? `/members?institutionId=${institutionId}&limit=500` : null);
  const byId = new Map(data?.items.map((m) => [m.id, m.name]));
  return <>{ids.map((id) => byId.get(id) ?? id.slice(0, 8)).join('、')}</>;
}

/** A value of a request as people read it: names for ids, yuan for fen, 是/否 for booleans. */
function Value({ name, value, institutionId }: { name: string; value: unknown; institutionId: string | null }) {
  if (value === undefined || value === null || value === '') return <>—</>;
  if (typeof value === 'boolean') return <>{value ? '是' : '否'}</>;
  if (typeof value === 'number' && /Fen$/.test(name)) return <>{fmtYuan(value)}</>;
  if (typeof value === 'string' && /institutionId$/i.test(name)) return <InstitutionName id={value} />;
  if (typeof value === 'string' && /(organization|org)Id$/i.test(name)) return <OrgName id={value} />;
  if (typeof value === 'string' && /memberId$/i.test(name)) return <MemberNames ids={[value]} institutionId={institutionId} />;
  if (Array.isArray(value) && /memberIds$/i.test(name)) return <MemberNames ids={value as string[]} institutionId={institutionId} />;
  if (Array.isArray(value)) return <>{value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join('；')}</>;
  if (typeof value === 'object') return <>{JSON.stringify(value)}</>;
  return <>{String(value)}</>;
}

/** The applicant's request, field by field, labelled from the kind's schema. */
export function PayloadView({ payload, schema, institutionId }: { payload: Record<string, unknown>; schema?: JsonSchema; institutionId: string | null }) {
  const props = schema?.properties ?? {};
  const keys = [...new Set([...Object.keys(props), ...Object.keys(payload)])].filter((k) => payload[k] !== undefined);
  return (
    <Descriptions size="small" column={1} bordered data-testid="payload">
      {keys.map((k) => (
        <Descriptions.Item key={k} label={fieldLabel(props[k]?.title ?? props[k]?.items?.title, k)}>
          <span style={{ whiteSpace: 'pre-wrap' }}>
            <Value name={k} value={payload[k]} institutionId={institutionId} />
          </span>
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
