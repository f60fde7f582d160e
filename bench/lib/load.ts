// A bounded load generator: `concurrency` workers issue requests back to back, for a fixed time or a fixed
// count, and the latencies of every request are summarised (nearest-rank percentiles). Used by the load test
// (test/e2e) and the end-to-end benchmark (bench/); it has no dependency on either.

export interface LoadOutcome {
  ok: boolean;
  status: number;
}

export interface LoadOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Stop issuing new requests after this many milliseconds… */
  durationMs?: number;
  /** …or after this many requests (whichever comes first). At least one of the two is required. */
  total?: number;
  /** Issues request number `i` (0-based, in issue order). A thrown error counts as a failed request (status 0). */
  request: (i: number) => Promise<LoadOutcome>;
}

export interface LoadReport {
  requests: number;
  errors: number;
  errorRate: number;
  /** Count per HTTP status; 0 = the request threw (connection refused, reset…). */
  statusCounts: Record<string, number>;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  durationMs: number;
  requestsPerSecond: number;
  /** The first few error descriptions, for the report. */
  sampleErrors: string[];
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  if (opts.durationMs === undefined && opts.total === undefined) throw new Error('runLoad: durationMs or total is required');
  if (!(opts.concurrency >= 1)) throw new Error('runLoad: concurrency must be at least 1');
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const sampleErrors: string[] = [];
  let issued = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = opts.durationMs === undefined ? Infinity : start + opts.durationMs;
  const more = () => issued < (opts.total ?? Infinity) && performance.now() < deadline;

  async function worker(): Promise<void> {
    while (more()) {
      const i = issued++;
      const t0 = performance.now();
      let status = 0;
      let ok = false;
      try {
        ({ ok, status } = await opts.request(i));
      } catch (e) {
        if (sampleErrors.length < 5) sampleErrors.push(e instanceof Error ? e.message : String(e));
      }
      latencies.push(performance.now() - t0);
      statusCounts[status] = (statusCounts[status] ?? 0) + 1;
      if (!ok) {
        errors++;
        if (status !== 0 && sampleErrors.length < 5) sampleErrors.push(`HTTP ${status} (request ${i})`);
      }
    }
  }

  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const durationMs = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    errorRate: latencies.length ? errors / latencies.length : 0,
    statusCounts,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1] ?? Number.NaN,
    durationMs,
    requestsPerSecond: (latencies.length / durationMs) * 1000,
    sampleErrors,
  };
}
