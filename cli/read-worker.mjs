// The reading thread of cli/read-isolated.ts: registers tsx's loader (as bin/kaoping.mjs does), reads one file with
// the shared reader and posts the grids, or the error's code and Chinese message, back.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { readWorkbook } = await import('../shared/sheet/read.ts');
try {
  const grids = await readWorkbook(workerData.bytes, workerData.fileName);
  parentPort.postMessage({ ok: true, grids });
} catch (e) {
  parentPort.postMessage({ ok: false, error: { name: e?.name ?? 'Error', code: e?.code, message: String(e?.message ?? e), detail: e?.detail } });
}
