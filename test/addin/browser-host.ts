// For driving the built task pane in a real browser (addin/tools/preview.mjs, and the Chromium task-pane test):
// bundled for the browser and injected before the page's scripts, it sets window.kaopingHost to the in-memory
// Excel holding an officer's workbook, so the real page runs against it.
import { officerWorkbook } from './fixtures.ts';

const params = new URLSearchParams(location.search);
const n = Number(params.get('villages') ?? 40);
const { double } = officerWorkbook(n, { version: params.get('api') ?? '1.18' });
(window as unknown as { kaopingHost: unknown; kaopingDouble: unknown }).kaopingHost = double.host();
(window as unknown as { kaopingDouble: unknown }).kaopingDouble = double;
