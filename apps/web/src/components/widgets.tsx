/**
 * Field widgets of the generic form, chosen by a field's name or format (never by process kind), so a kind added
 * later gets them for free: institution, member and organisation pickers for ids, a date picker, money in yuan.
 */
import { useEffect, useState } from 'react';
import { DatePicker, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import { all } from '../api/client';
import type { Institution, Member, Organization } from '../api/types';
import { MEMBER_CATEGORY_NAMES, MEMBER_STATUS_NAMES, ORG_KIND_NAMES } from '../format';

interface ValueProps<T> {
  value?: T;
  onChange?: (v: T | undefined) => void;
  id?: string;
}

function useList<T>(path: string | null): { items: T[]; loading: boolean } {
  const [state, setState] = useState<{ items: T[]; loading: boolean }>({ items: [], loading: path !== null });
  useEffect(() => {
    if (!path) {
      setState({ items: [], loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    all<T>(path).then(
      (items) => live && setState({ items, loading: false }),
      () => live && setState({ items: [], loading: false }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  return state;
}

const filterByLabel = (input: string, option?: { label?: unknown }) => String(option?.label ?? '').toLowerCase().includes(input.toLowerCase());

type PickerProps = ValueProps<string | string[]> & { multiple?: boolean };

/** A searchable select of registry rows (one or several), each shown by its label. */
function RowSelect<T extends { id: string }>({ multiple, items, loading, label, ...p }: PickerProps & { items: T[]; loading: boolean; label: (row: T) => string; placeholder: string; disabled?: boolean }) {
  return (
    <Select
      {...p}
      mode={multiple ? 'multiple' : undefined}
      loading={loading}
      showSearch
      allowClear
      filterOption={filterByLabel}
      options={items.map((row) => ({ value: row.id, label: label(row) }))}
    />
  );
}

export function InstitutionPicker(p: PickerProps) {
  const list = useList<Institution>('/institutions');
  return <RowSelect {...p} {...list} placeholder="选择机构" label={(i) => `${i.name}（${i.district}）`} />;
}

/** The members of several institutions (those the user may read; the others are left out). */
function useMembers(institutionIds: string[]): { items: Member[]; loading: boolean } {
  const key = institutionIds.join(',');
  const [state, setState] = useState<{ items: Member[]; loading: boolean }>({ items: [], loading: key !== '' });
  useEffect(() => {
    if (key === '') {
      setState({ items: [], loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    void Promise.all(key.split(',').map((id) => all<Member>(`/members?institutionId=${id}`).catch(() => [] as Member[]))).then(
      (lists) => live && setState({ items: lists.flat(), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

/** Members of the chosen institution, or of every chosen unit when the form has several (a joint organisation). */
export function MemberPicker({ institutionIds, ...p }: PickerProps & { institutionIds: string[] }) {
  const list = useMembers(institutionIds);
  const chosen = !!institutionIds[0];
  return (
    <RowSelect
      {...p}
      {...list}
      placeholder={chosen ? '选择党员' : '请先选择机构'}
      disabled={!chosen}
      label={(m) => `${m.name}（${MEMBER_STATUS_NAMES[m.status]}，${MEMBER_CATEGORY_NAMES[m.category]}）`}
    />
  );
}

export function OrganizationPicker(p: PickerProps) {
  const list = useList<Organization>('/organizations');
  return <RowSelect {...p} {...list} placeholder="选择组织" label={(o) => `${o.name}（${ORG_KIND_NAMES[o.kind as keyof typeof ORG_KIND_NAMES] ?? o.kind}）`} />;
}

/** A calendar date kept as YYYY-MM-DD (what the API takes), picked on a calendar. */
export function DateInput({ value, onChange, id }: ValueProps<string>) {
  return <DatePicker id={id} style={{ width: '100%' }} value={value ? dayjs(value) : null} onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : undefined)} />;
}

/** A month kept as YYYY-MM. */
export function MonthInput({ value, onChange, id }: ValueProps<string>) {
  return <DatePicker id={id} picker="month" style={{ width: '100%' }} value={value ? dayjs(`${value}-01`) : null} onChange={(d) => onChange?.(d ? d.format('YYYY-MM') : undefined)} />;
}

/** Money: typed in yuan with two decimals, kept as integer fen (the API never sees a float); `signed` allows less than 0. */
export function FenInput({ value, onChange, id, signed }: ValueProps<number> & { signed?: boolean }) {
  const shown = (fen: number): string => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
  return (
    <InputNumber<string>
      id={id}
      style={{ width: '100%' }}
      addonAfter="元"
      min={signed ? undefined : '0'}
      precision={2}
      stringMode
      value={value === undefined || value === null ? null : shown(value)}
      onChange={(v) => {
        if (v === null || v === '') return onChange?.(undefined);
        const text = String(v);
        const [yuan, cents = ''] = text.replace(/^-/, '').split('.');
        onChange?.((text.startsWith('-') ? -1 : 1) * (Number(yuan) * 100 + Number(cents.padEnd(2, '0').slice(0, 2))));
      }}
    />
  );
}
