// Node-side helpers over the zip builder: fixture workbooks rebuilt part by part, deflated with node:zlib.
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import JSZip from 'jszip';
import { buildZip, type Part, type ZipOptions } from './zip-builder.ts';

export const deflate = (raw: Uint8Array): Uint8Array => new Uint8Array(deflateRawSync(raw));

/** The parts of a fixture workbook, uncompressed, to rebuild with hostile additions. */
export async function fixtureParts(file = 'messy-excel.xlsx'): Promise<Part[]> {
  const zip = await JSZip.loadAsync(readFileSync(new URL(`../fixtures/${file}`, import.meta.url)));
  const parts: Part[] = [];
  for (const f of Object.values(zip.files)) if (!f.dir) parts.push({ name: f.name, data: await f.async('uint8array') });
  return parts;
}

/** A real workbook (fixture) plus extra parts. */
export async function workbookWith(extra: Part[], opts: ZipOptions = {}, file = 'messy-excel.xlsx'): Promise<Uint8Array> {
  return buildZip([...(await fixtureParts(file)), ...extra], opts, deflate);
}

/** A fixture workbook with one part replaced (e.g. a worksheet with hostile XML). */
export async function workbookReplacing(name: string, part: Omit<Part, 'name'>, file = 'messy-excel.xlsx'): Promise<Uint8Array> {
  const parts = await fixtureParts(file);
  if (!parts.some((p) => p.name === name)) throw new Error(`no part ${name} in ${file}`);
  return buildZip(
    parts.map((p) => (p.name === name ? { ...part, name } : p)),
    {},
    deflate,
  );
}
