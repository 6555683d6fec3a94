import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Timing } from './bench-measure';

export interface BenchReport {
  at: string;
  commit: string | null;
  machine: { node: string; cpus: number; cpuModel: string; memoryGiB: number; platform: string; loadAvg1mAtStart: number };
  dataset: { seed: number; institutions: number; organizations: number; members: number; residents: number; tasks: number; migrateMs: number; seedMs: number };
  timings: Timing[];
  memory: { apiRssMiB: number | null; apiPeakRssMiB: number | null };
}

const cell = (v: number | null): string => (v === null ? '—' : v.toFixed(1));

export function markdownOf(r: BenchReport): string {
  const rows = r.timings.map((t) => {
    const verdict = t.status !== 'ok' ? t.status : t.meetsTarget === null ? '' : t.meetsTarget ? 'meets' : '**misses**';
    const target = t.targetMs === null ? '' : `< ${t.targetMs} ms`;
    const remark = [verdict, t.note ? `(${t.note})` : ''].filter(Boolean).join(' ');
    return `| ${t.name} | ${t.what} | ${t.runs} | ${cell(t.p50Ms)} | ${cell(t.p95Ms)} | ${cell(t.maxMs)} | ${target} | ${remark} |`;
  });
  return [
    `# Benchmark ${r.at}`,
    '',
    `Commit \`${r.commit ?? 'unknown'}\`; Node ${r.machine.node}, ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, ${r.machine.platform}; ` +
      `load average ${r.machine.loadAvg1mAtStart} at the start (figures from a busy machine are higher).`,
    `Dataset: demo city seed ${r.dataset.seed} — ${r.dataset.institutions} institutions, ${r.dataset.organizations} organizations, ` +
      `${r.dataset.members} party members, ${r.dataset.residents} residents, ${r.dataset.tasks} inbox tasks (migrations ${r.dataset.migrateMs} ms, seed ${r.dataset.seedMs} ms).`,
    'Sequential requests from one client on the same machine, after warm-up; times include reading the whole body.',
    '',
    '| measurement | request | runs | p50 ms | p95 ms | max ms | target (p95) | verdict |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `API process memory after the run: RSS ${r.memory.apiRssMiB ?? '—'} MiB (peak ${r.memory.apiPeakRssMiB ?? '—'} MiB).`,
    '',
  ].join('\n');
}

export function writeReport(root: string, r: BenchReport): { json: string; md: string } {
  const dir = path.join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'latest.json');
  const md = path.join(dir, 'latest.md');
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(md, markdownOf(r));
  return { json, md };
}
