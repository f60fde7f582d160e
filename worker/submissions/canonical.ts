// Canonical JSON: object keys sorted, no whitespace. The bytes of a rows submission are its canonical JSON,
// so the same content sent twice (whatever the key order or spacing) has the same SHA-256.
import type { Submission } from '../../shared/submission.ts';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The input acceptSubmission takes for a validated rows submission. */
export function rowsInput(submission: Submission): { kind: 'rows'; submission: Submission; bytes: Uint8Array } {
  return { kind: 'rows', submission, bytes: new TextEncoder().encode(canonicalJson(submission)) };
}
