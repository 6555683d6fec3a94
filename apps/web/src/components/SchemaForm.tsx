/**
 * ONE form for every process kind and every step's decision data, drawn from the JSON Schema that GET
 * /process-kinds serves (labels from each field's title) and validated, before anything is sent, by the kind's own
 * zod schema from libs/contracts: the same parse and the same Chinese messages as the server. A 400's
 * `details[].field` from the server lands beside its field too.
 */
import { forwardRef, useImperativeHandle, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Switch, type FormInstance } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import { issueDetails } from '@contracts/processes/process-descriptor';
import { ApiError } from '../api/client';
import type { JsonSchema } from '../api/types';
import { DISPATCH_ROLE_NAMES, fieldLabel } from '../format';
import { DateInput, FenInput, InstitutionPicker, MemberPicker, MonthInput, OrganizationPicker } from './widgets';

type NamePath = Array<string | number>;

/** `lines[1].note` (the API's notation) → ['lines', 1, 'note']. */
export function toNamePath(field: string): NamePath {
  return field.split('.').flatMap((part) => {
    const m = /^([^[]+)((\[\d+\])*)$/.exec(part);
    if (!m) return [part];
    const idx = [...(m[2] ?? '').matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
    return [m[1]!, ...idx];
  });
}

/** Enum values people read (values not listed here show as they are). */
const ENUM_NAMES: Record<string, string> = {
  CO_BUILD: '共建',
  AFFILIATE: '挂靠',
  PUBLIC_BUILDER: '由公建方选派',
  OPERATOR: '由民营方党组织选派',
  ELECTION: '从机构内部选举产生',
  ...DISPATCH_ROLE_NAMES,
  STAFF: '工作人员',
  ELDERLY: '入住老人',
  FULL: '正式党员',
  PROBATIONARY: '预备党员',
  // budget categories (R14; libs/domain BUDGET_CATEGORY_LABELS)
  ACTIVITIES: '党组织活动经费',
  TRAINING: '党员教育培训经费',
  MATERIALS: '学习资料经费',
  STIPEND: '党组织书记工作补贴',
  VENUE: '活动场所建设经费',
  OTHER: '其他',
};

const isUuid = (s: JsonSchema | undefined): boolean => s?.type === 'string' && s.format === 'uuid';

/** Strips what a person left empty, so an optional field left blank is absent (not an empty string). */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clean);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return Object.fromEntries(
      Object.entries(v)
        .map(([k, x]) => [k, clean(x)] as const)
        .filter(([, x]) => x !== undefined && x !== null && x !== ''),
    );
  }
  return v;
}

interface FieldContext {
  form: FormInstance;
  institutionId?: string;
}

function Widget({ name, schema, ctx, ...rest }: { name: string; schema: JsonSchema; ctx: FieldContext; value?: unknown; onChange?: (v: unknown) => void; id?: string }) {
  const institutionId = (Form.useWatch('institutionId', ctx.form) as string | undefined) ?? ctx.institutionId;
  const units = Form.useWatch('institutionIds', ctx.form) as string[] | undefined;
  // Members come from every chosen unit when the form names several, else from the institution.
  const memberSources = [...new Set([...(institutionId ? [institutionId] : []), ...(Array.isArray(units) ? units : [])])];
  const p = rest as Record<string, never>;
  const item = schema.items;
  if (schema.type === 'array' && isUuid(item)) {
    if (/institutionIds$/i.test(name)) return <InstitutionPicker multiple {...p} />;
    if (/memberIds$/i.test(name)) return <MemberPicker multiple institutionIds={memberSources} {...p} />;
    if (/(organization|org)Ids$/i.test(name)) return <OrganizationPicker multiple {...p} />;
    return <Select mode="tags" {...p} />;
  }
  if (schema.type === 'array') return <Select mode="tags" {...p} />;
  if (isUuid(schema)) {
    if (/institutionId$/i.test(name)) return <InstitutionPicker {...p} />;
    if (/memberId$/i.test(name)) return <MemberPicker institutionIds={memberSources} {...p} />;
    if (/(organization|org)Id$/i.test(name)) return <OrganizationPicker {...p} />;
    return <Input placeholder="ID" {...p} />;
  }
  if (schema.enum) return <Select allowClear options={schema.enum.map((v) => ({ value: v, label: ENUM_NAMES[v] ?? v }))} {...p} />;
  if (schema.type === 'string' && schema.format === 'date') return <DateInput {...p} />;
  if (schema.type === 'string' && /month$/i.test(name)) return <MonthInput {...p} />;
  if ((schema.type === 'integer' || schema.type === 'number') && /Fen$/.test(name)) return <FenInput {...p} />;
  if (schema.type === 'integer' || schema.type === 'number') return <InputNumber style={{ width: '100%' }} {...p} />;
  if (schema.type === 'string' && (schema.maxLength ?? 0) > 200) return <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} showCount maxLength={schema.maxLength} {...p} />;
  return <Input maxLength={schema.maxLength} {...p} />;
}

function Fields({ schema, path, ctx }: { schema: JsonSchema; path: NamePath; ctx: FieldContext }): ReactNode {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([key, raw]) => {
    const s = raw.anyOf?.find((x) => x.type) ?? raw;
    const name = [...path, key];
    const label = fieldLabel(s.title ?? s.items?.title, key);
    if (s.type === 'array' && s.items?.type === 'object') {
      return (
        <Form.Item key={key} label={label} required={required.has(key)} name={name} noStyle={false} style={{ marginBottom: 8 }}>
          <Form.List name={name}>
            {(rows, { add, remove }) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                {rows.map((row) => (
                  <Card key={row.key} size="small" extra={<MinusCircleOutlined aria-label="删除此项" onClick={() => remove(row.name)} />}>
                    <Fields schema={s.items!} path={[row.name]} ctx={ctx} />
                  </Card>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})}>
                  添加{label}
                </Button>
              </Space>
            )}
          </Form.List>
        </Form.Item>
      );
    }
    if (s.type === 'object' && s.properties) {
      return (
        <Card key={key} size="small" title={label} style={{ marginBottom: 16 }}>
          <Fields schema={s} path={name} ctx={ctx} />
        </Card>
      );
    }
    return (
      <Form.Item key={key} name={name} label={label} required={required.has(key)} valuePropName={s.type === 'boolean' ? 'checked' : 'value'} data-field={name.join('.')}>
        {s.type === 'boolean' ? <Switch /> : <Widget name={key} schema={s} ctx={ctx} />}
      </Form.Item>
    );
  });
}

export interface SchemaFormHandle {
  /** The values parsed by the schema, or null after showing the errors beside the fields. */
  validate(): Promise<Record<string, unknown> | null>;
  /** Puts a server refusal's field errors beside the fields; true when every one found its field. */
  showServerErrors(err: unknown, prefix?: string): boolean;
}

interface Props {
  schema: JsonSchema;
  /** The kind's zod schema (libs/contracts); without it (a kind newer than this build) the server validates alone. */
  zod?: z.ZodType | null;
  initialValues?: Record<string, unknown>;
  /** The institution the pickers of members read, when the form has no institutionId of its own. */
  institutionId?: string;
  /** The prefix of this form's fields in the server's answers (decision data: `data.`). */
  prefix?: string;
  onSubmit?: (values: Record<string, unknown>) => Promise<void>;
  submitText?: string;
  /** Fields rendered after the schema's (e.g. a decision's comment). */
  children?: ReactNode;
  form?: FormInstance;
}

export const SchemaForm = forwardRef<SchemaFormHandle, Props>(function SchemaForm(
  { schema, zod, initialValues, institutionId, prefix = '', onSubmit, submitText = '提交', children, form: external },
  ref,
) {
  const [own] = Form.useForm();
  const form = external ?? own;
  const [formError, setFormError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const strip = (field: string): string => (prefix && field.startsWith(prefix) ? field.slice(prefix.length) : field);
  const place = (details: Array<{ field?: string; message: string }>): boolean => {
    const known = new Set(Object.keys(schema.properties ?? {}));
    const fields = details.filter((d) => d.field && known.has(String(toNamePath(strip(d.field))[0])));
    form.setFields(fields.map((d) => ({ name: toNamePath(strip(d.field!)), errors: [d.message] })));
    return fields.length === details.length;
  };

  const validate = async (): Promise<Record<string, unknown> | null> => {
    setFormError(null);
    const values = clean(form.getFieldsValue(true)) as Record<string, unknown>;
    const own = Object.fromEntries(Object.entries(values).filter(([k]) => k in (schema.properties ?? {})));
    // Reset earlier errors before showing the current ones.
    form.setFields(Object.keys(schema.properties ?? {}).map((k) => ({ name: [k], errors: [] })));
    if (!zod) return own;
    const parsed = zod.safeParse(own);
    if (parsed.success) return parsed.data as Record<string, unknown>;
    const details = issueDetails(parsed.error);
    if (!place(details)) setFormError(new Error(details.map((d) => d.message).join('；')));
    return null;
  };

  const showServerErrors = (err: unknown, pfx = prefix): boolean => {
    const details = err instanceof ApiError ? err.details.filter((d) => d.field) : [];
    const placed = details.length > 0 && place(details.map((d) => ({ ...d, field: pfx && d.field?.startsWith(pfx) ? d.field.slice(pfx.length) : d.field })));
    setFormError(placed ? null : err);
    return placed;
  };

  useImperativeHandle(ref, () => ({ validate, showServerErrors }));

  return (
    <Form form={form} layout="vertical" initialValues={initialValues} onFinish={async () => {
      if (!onSubmit) return;
      const values = await validate();
      if (!values) return;
      setBusy(true);
      try {
        await onSubmit(values);
      } catch (e) {
        showServerErrors(e);
      } finally {
        setBusy(false);
      }
    }}>
      {formError ? <FormError error={formError} /> : null}
      <Fields schema={schema} path={[]} ctx={{ form, institutionId }} />
      {children}
      {onSubmit && (
        <Button type="primary" htmlType="submit" loading={busy}>
          {submitText}
        </Button>
      )}
    </Form>
  );
});

function FormError({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : [];
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      message={message}
      description={details.length ? details.map((d, i) => <div key={i}>{d.ruleId ? `${d.ruleId}：` : ''}{d.message}{d.source ? `（依据：${d.source}）` : ''}</div>) : undefined}
    />
  );
}
