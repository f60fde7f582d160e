// Offline validation of manifest.xml against the add-in manifest XSDs (../shared/schemas/office-addin-manifest),
// with xmllint compiled to WebAssembly (npm xmllint-wasm: no system package needed). The online check
// (`office-addin-manifest validate`) needs the internet. Run: npx tsx addin/tools/validate-manifest.ts
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../..');
export const SCHEMA_DIR = path.resolve(REPO, '../shared/schemas/office-addin-manifest');
export const MAIN_SCHEMA = 'OfficeAppManifestV1_1.xsd';

export interface ManifestCheck {
  valid: boolean;
  errors: string[];
}

export async function validateManifest(xml: string, schemaDir = SCHEMA_DIR): Promise<ManifestCheck> {
  const files = (await readdir(schemaDir)).filter((f) => f.endsWith('.xsd'));
  const load = async (f: string) => ({ fileName: f, contents: await readFile(path.join(schemaDir, f), 'utf8') });
  const result = await validateXML({
    xml: [{ fileName: 'manifest.xml', contents: xml }],
    schema: [await load(MAIN_SCHEMA)],
    preload: await Promise.all(files.filter((f) => f !== MAIN_SCHEMA).map(load)),
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = process.argv[2] ?? path.join(REPO, 'manifest.xml');
  const r = await validateManifest(await readFile(file, 'utf8'));
  if (r.valid) console.log(`${path.relative(process.cwd(), file)}: valid against ${MAIN_SCHEMA}`);
  else {
    console.error(r.errors.join('\n'));
    process.exitCode = 1;
  }
}
