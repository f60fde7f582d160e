// Submissions of one township are applied one at a time (optimistic concurrency). Before planning, a
// submission reads its township's turn (seq, last_at); its D1 batch starts by taking turn seq + 1. If another
// submission of the township committed in between, the trigger of migration 0005 aborts the whole batch
// ("submission_turn_taken") and the submission is planned again on the new state. So:
// - the ledger plan and the supersession of earlier results always see every earlier submission;
// - created_at strictly increases per township in commit order (at least last_at + 1 ms), so "later" for
//   supersession is the server's commit order, and no two results of a village can tie.
import type { Bindings } from '../env.ts';

export interface Turn {
  seq: number;
  lastAt: string | null;
}

/** Attempts before a submission gives up with 503 (each retry means another submission was stored). */
export const MAX_TURN_ATTEMPTS = 60;

export async function readTurn(env: Bindings, townshipCode: string): Promise<Turn> {
  const r = await env.DB.prepare('SELECT seq, last_at FROM submission_turns WHERE township_code = ?').bind(townshipCode).first<{ seq: number; last_at: string | null }>();
  return { seq: r?.seq ?? 0, lastAt: r?.last_at ?? null };
}

/** The submission's timestamp: now, but always after the township's previous submission. */
export function turnTime(now: Date, turn: Turn): string {
  const last = turn.lastAt ? Date.parse(turn.lastAt) : NaN;
  return new Date(Number.isFinite(last) && last >= now.getTime() ? last + 1 : now.getTime()).toISOString();
}

/** The first statement of the submission batch: take turn seq + 1 (aborts the batch if it is taken). */
export function takeTurn(env: Bindings, townshipCode: string, turn: Turn, createdAt: string): D1PreparedStatement {
  return env.DB.prepare(
    `INSERT INTO submission_turns (township_code, seq, last_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (township_code) DO UPDATE SET seq = excluded.seq, last_at = excluded.last_at`,
  ).bind(townshipCode, turn.seq + 1, createdAt);
}

/** The batch failed because another submission of the township took the turn. */
export function isTurnTaken(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && depth < 4; x = (x as { cause?: unknown }).cause, depth++) {
    if (String((x as { message?: unknown }).message ?? x).includes('submission_turn_taken')) return true;
  }
  return false;
}

/** A short random pause before planning again, growing with the attempt (at most 40 ms). */
export function turnBackoff(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.random() * Math.min(40, 2 * attempt)));
}
