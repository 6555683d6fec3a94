import { useEffect, useState } from 'react';
import { get } from '../api/client';
import type { Institution, Organization } from '../api/types';

const orgs = new Map<string, Promise<Organization | null>>();
const insts = new Map<string, Promise<Institution | null>>();

const once = <T,>(cache: Map<string, Promise<T | null>>, id: string, path: string): Promise<T | null> => {
  let p = cache.get(id);
  if (!p) {
    p = get<T>(path).catch(() => null);
    cache.set(id, p);
  }
  return p;
};

function useName(id: string | null | undefined, load: (id: string) => Promise<{ name: string } | null>): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (!id) return;
    let live = true;
    void load(id).then((x) => live && setName(x?.name ?? null));
    return () => {
      live = false;
    };
  }, [id, load]);
  return name;
}

const loadOrg = (id: string) => once<Organization>(orgs, id, `/organizations/${id}`);
const loadInst = (id: string) => once<Institution>(insts, id, `/institutions/${id}`);

/** An organisation's name (fetched once per id), or its id while unknown. */
export function OrgName({ id }: { id: string | null | undefined }) {
  const name = useName(id, loadOrg);
  return <>{id ? name ?? `组织 ${id.slice(0, 8)}` : '—'}</>;
}
export function InstitutionName({ id }: { id: string | null | undefined }) {
  const name = useName(id, loadInst);
  return <>{id ? name ?? `机构 ${id.slice(0, 8)}` : '—'}</>;
}
