/// <reference types="office-js" />
// Batching under Excel on the web's limits: a request (and its response) may not exceed 5 MB. Each phase of
// the adapter queues its commands through a Batcher, which estimates the bytes it queues and syncs early
// only when the next command would cross the budget. Under the budget a phase is exactly one round trip,
// whatever the number of rows; over it, it is split into as few round trips as the budget allows.
import { utf8Length } from './address.ts';

export interface Budget {
  /** Estimated request bytes per sync (Excel on the web refuses more than 5 MB). */
  request: number;
  /** Estimated response bytes per sync. */
  response: number;
}

/** Under Excel on the web's 5 MB, with room for the estimate's error (tests check estimate ≥ actual). */
export const DEFAULT_BUDGET: Budget = { request: 4_500_000, response: 4_500_000 };

/** Bytes of one record of Office.js's request JSON (an object path or an action) without its arguments,
 * estimated generously: a call that makes an object costs a path and an Instantiate action, a property
 * navigation a path, a property set or method call an action. */
export const COMMAND_BYTES = 130;

/** Fixed bytes of every request: the envelope and the parent object paths each request repeats. */
export const BATCH_BYTES = COMMAND_BYTES * 6;

/** One queued piece of work with its estimated request (and response) bytes. */
export interface Op {
  bytes: number;
  response?: number;
  run: () => void;
}

export function opsBytes(ops: readonly Op[]): number {
  let n = 0;
  for (const o of ops) n += o.bytes;
  return n;
}

/**
 * Assign ops (in order) to `bins` round trips, balanced: each bin gets about an equal share of the total, within
 * the budget. The first bin already carries `firstBytes`; the last must keep `lastBytes` free. Ops that fit
 * nowhere go to the last bin (its Batcher then splits it into more round trips).
 */
export function planBins(ops: readonly Op[], bins: number, budget: number, firstBytes: number, lastBytes: number): Op[][] {
  const out: Op[][] = Array.from({ length: bins }, () => []);
  const total = firstBytes + opsBytes(ops) + lastBytes;
  const target = Math.min(budget, Math.ceil(total / bins));
  const room = out.map((_, i) => (i === bins - 1 ? budget : target) - (i === 0 ? firstBytes : 0) - (i === bins - 1 ? lastBytes : 0));
  let b = 0;
  for (const op of ops) {
    while (b < bins - 1 && op.bytes > room[b]! && (out[b]!.length > 0 || b === 0)) b++;
    out[b]!.push(op);
    room[b]! -= op.bytes;
  }
  return out;
}

/** Bytes a value adds to a request as JSON (strings as UTF-8). */
export function jsonBytes(v: unknown): number {
  return utf8Length(JSON.stringify(v) ?? 'null');
}

export interface RunStats {
  syncs: number;
  /** Estimated request bytes of each sync, in order. */
  requestBytes: number[];
}

export function newStats(): RunStats {
  return { syncs: 0, requestBytes: [] };
}

export class Batcher {
  private requestUsed = 0;
  private responseUsed = 0;
  private open = false;

  constructor(
    private readonly context: Excel.RequestContext,
    private readonly budget: Budget,
    private readonly stats: RunStats,
    /** Called at the start of every batch (e.g. to suspend screen updating until its sync). */
    private readonly onBatchStart?: () => void,
  ) {}

  /** Queue a command estimated at `request` bytes (plus `response` bytes it will read back). */
  async add(request: number, fn: () => void, response = 0): Promise<void> {
    if (this.open && (this.requestUsed + request > this.budget.request || this.responseUsed + response > this.budget.response)) {
      await this.sync();
    }
    if (!this.open) {
      this.open = true;
      // The request's envelope and the parent objects every request names again (workbook, sheet).
      this.requestUsed = BATCH_BYTES;
      this.responseUsed = 0;
      this.onBatchStart?.();
    }
    this.requestUsed += request;
    this.responseUsed += response;
    fn();
  }

  async addAll(ops: readonly Op[]): Promise<void> {
    for (const op of ops) await this.add(op.bytes, op.run, op.response ?? 0);
  }

  /** Send what is queued (nothing happens when nothing is). */
  async sync(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    this.stats.requestBytes.push(this.requestUsed);
    this.stats.syncs++;
    await this.context.sync();
  }
}
