// Browser entry, bundled with esbuild and injected before the task pane's scripts (page.addInitScript), like
// test/addin/browser-host.ts does for addin/tools/preview.mjs — but the workbook comes from the test: the
// spec the test put in window.__kaopingWorkbook just before. Sets window.kaopingHost (the pane picks it up
// instead of Office.js's host) and exposes the double and an export of its workbook for the test.
import { buildDouble, exportDouble, type WorkbookSpec } from './taskpane-model.ts';
import type { ExcelDouble } from '../addin/excel-double.ts';

interface HostWindow {
  __kaopingWorkbook?: WorkbookSpec;
  kaopingHost?: unknown;
  kaopingDouble?: ExcelDouble;
  kaopingExport?: () => WorkbookSpec;
}

const w = window as unknown as HostWindow;
const spec = w.__kaopingWorkbook;
if (spec) {
  const double = buildDouble(spec);
  w.kaopingHost = double.host();
  w.kaopingDouble = double;
  w.kaopingExport = () => exportDouble(double);
}
