import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtemp, readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin/kaoping.mjs');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the real `kaoping` command as a user would (a separate Node process). */
export function kaoping(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, KAOPING_DEBUG: '', ...opts.env } }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'kaoping-cli-'));
}

/** Load an .xlsx file with ExcelJS (as another program reading our output would). */
export async function loadXlsx(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  const bytes = new Uint8Array(await readFile(path));
  await wb.xlsx.load(bytes.buffer);
  return wb;
}
