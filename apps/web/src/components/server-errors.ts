import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';
import { toNamePath } from './SchemaForm';

/** A 400's `details[].field` beside the form's fields; returns false when some error names no field of the form. */
export function placeServerErrors(form: FormInstance, err: unknown, fields: readonly string[]): boolean {
  const details = err instanceof ApiError ? err.details.filter((d) => d.field) : [];
  if (details.length === 0) return false;
  const known = details.filter((d) => fields.includes(String(toNamePath(d.field!)[0])));
  form.setFields(known.map((d) => ({ name: toNamePath(d.field!), errors: [d.message] })));
  return known.length === details.length;
}
