import { performance } from 'node:perf_hooks';

export interface Timing {
  name: string;
  /** Human description of what was requested. */
  what: string;
  status: 'ok' | 'not available' | 'failed';
  runs: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
  targetMs: number | null;
  meetsTarget: boolean | null;
  note?: string;
}

export interface Sample {
  ms: number;
  status: number;
  body: string;
}

/** One request, timed from sending to the last byte of the body. */
export async function timed(fn: () => Promise<Response>): Promise<Sample> {
  const t0 = performance.now();
  const res = await fn();
  const body = await res.text();
  return { ms: performance.now() - t0, status: res.status, body };
}

const round = (x: number): number => Math.round(x * 10) / 10;

/** Nearest-rank percentile. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * `warmup` untimed calls, then `runs` sequential timed ones. A 404 on the first call means the endpoint is not
 * there (yet): reported as "not available" rather than failing the run.
 */
export async function measure(
  name: string,
  what: string,
  call: (i: number) => Promise<Response>,
  opts: { runs?: number; warmup?: number; targetMs?: number; okStatus?: number } = {},
): Promise<Timing> {
  const runs = opts.runs ?? 30;
  const ok = opts.okStatus ?? 200;
  const base = { name, what, runs: 0, p50Ms: null, p95Ms: null, maxMs: null, targetMs: opts.targetMs ?? null, meetsTarget: null };
  const probe = await timed(() => call(0));
  if (probe.status === 404) return { ...base, status: 'not available', note: 'HTTP 404 (endpoint not there yet)' };
  if (probe.status !== ok) return { ...base, status: 'failed', note: `HTTP ${probe.status}` };
  for (let i = 1; i < (opts.warmup ?? 3); i++) await timed(() => call(i));
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = await timed(() => call(i));
    if (s.status !== ok) return { ...base, status: 'failed', note: `HTTP ${s.status} on run ${i + 1}` };
    samples.push(s.ms);
  }
  return summarise(name, what, samples, opts.targetMs ?? null);
}

export function summarise(name: string, what: string, samples: number[], targetMs: number | null, note?: string): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const p95 = percentile(sorted, 95);
  return {
    name,
    what,
    status: 'ok',
    runs: samples.length,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(p95),
    maxMs: round(sorted[sorted.length - 1]),
    targetMs,
    meetsTarget: targetMs === null ? null : p95 < targetMs,
    ...(note ? { note } : {}),
  };
}
