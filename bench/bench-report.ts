import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DecisionBench } from './bench-decisions';
import type { Timing } from './bench-measure';

/** The figures issue #13 asks for, flat (bench/results/latest.json). */
export interface Headline {
  ratioThroughput: number | null;
  ratioP99: number | null;
  decisionsPerSecond: number | null;
  decisionP99Ms: number | null;
  inboxApiP99Ms: number | null;
  inboxDbP99Ms: number | null;
  emailP99Ms: number | null;
  emailsPerSecond: number | null;
  workerRssMb: number | null;
  apiRssMb: number | null;
  lost: number;
  duplicated: number;
  quick: boolean;
}

/** Target per headline figure: at least (`min`) or at most (`max`). */
export const TARGETS: Partial<Record<keyof Headline, { min?: number; max?: number }>> = {
  ratioThroughput: { min: 0.6 },
  ratioP99: { max: 2 },
  decisionsPerSecond: { min: 60 },
  decisionP99Ms: { max: 150 },
  inboxApiP99Ms: { max: 50 },
  inboxDbP99Ms: { max: 15 },
  emailP99Ms: { max: 2000 },
  emailsPerSecond: { min: 100 },
  workerRssMb: { max: 512 },
  lost: { max: 0 },
  duplicated: { max: 0 },
};

export function verdicts(h: Headline): Array<{ name: string; value: number | boolean | null; target: string; met: boolean | null }> {
  return (Object.keys(h) as Array<keyof Headline>).map((name) => {
    const value = h[name];
    const t = TARGETS[name];
    const target = t ? (t.min !== undefined ? `≥ ${t.min}` : `≤ ${t.max}`) : '';
    const met = !t || typeof value !== 'number' ? null : t.min !== undefined ? value >= t.min : value <= t.max!;
    return { name, value, target, met };
  });
}

export interface BenchReport {
  at: string;
  commit: string | null;
  machine: { node: string; cpus: number; cpuModel: string; memoryGiB: number; platform: string; loadAvg1mAtStart: number };
  dataset: { seed: number; institutions: number; organizations: number; members: number; residents: number; tasks: number; migrateMs: number; seedMs: number };
  timings: Timing[];
  memory: { apiRssMiB: number | null; apiPeakRssMiB: number | null; workerPeakRssMiB: number | null };
  headline: Headline;
  decisions: DecisionBench | null;
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
    `API process memory after the run: RSS ${r.memory.apiRssMiB ?? '—'} MiB (peak ${r.memory.apiPeakRssMiB ?? '—'} MiB); worker peak ${r.memory.workerPeakRssMiB ?? '—'} MiB.`,
    '',
    ...decisionTable(r),
    '## Against the targets',
    '',
    '| figure | value | target | verdict |',
    '|---|---|---|---|',
    ...verdicts(r.headline).map((v) => `| ${v.name} | ${v.value ?? '—'} | ${v.target} | ${v.met === null ? '' : v.met ? 'meets' : '**misses**'} |`),
    '',
  ].join('\n');
}

/** Writes latest.json and latest.md into `dir` (default: bench/results under the project root). */
export function writeReport(root: string, r: BenchReport, dir = path.join(root, 'bench', 'results')): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'latest.json');
  const md = path.join(dir, 'latest.md');
  writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(md, markdownOf(r));
  return { json, md };
}

function decisionTable(r: BenchReport): string[] {
  const d = r.decisions;
  if (!d) return [];
  return [
    '## Decisions: ours (HTTP, establish-branch) beside bare Temporal (one validated Update), alternating blocks',
    '',
    '| concurrency | ours decisions/s | bare updates/s | ratio | ours p99 ms | bare p99 ms | p99 ratio |',
    '|---|---|---|---|---|---|---|',
    ...d.levels.map((l) => `| ${l.concurrency} | ${l.ours.perSecond} | ${l.bare.perSecond} | ${l.ratioThroughput.toFixed(2)} | ${l.ours.p99Ms} | ${l.bare.p99Ms} | ${l.ratioP99.toFixed(2)} |`),
    '',
    `Open loop at half of bare's saturation (${d.openLoop.ratePerSecond}/s): ${d.openLoop.count} decisions, p50 ${d.openLoop.p50Ms} ms, p99 ${d.openLoop.p99Ms} ms. ` +
      `Emails: ${d.emails.count} sent, ${d.emails.perSecond}/s at the busiest 5 s, decision to delivery p50 ${d.emails.p50Ms} ms, p99 ${d.emails.p99Ms} ms. ` +
      `Lost ${d.lost}, duplicated ${d.duplicated}.`,
    '',
  ];
}
