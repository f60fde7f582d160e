// Bundled in place of ExcelJS and iconv-lite: the add-in reads and writes through Office.js, never through
// file bytes. Shared modules import them for the command line and the browser page; nothing the add-in calls
// reaches them. If something ever does, it fails loudly instead of shipping megabytes of unused code.
function unavailable(): never {
  throw new Error('考评插件内部错误：此功能在 Excel 插件中不可用（ExcelJS/iconv-lite 未打包）');
}
const handler: ProxyHandler<object> = {
  get: (_t, prop) => (prop === '__esModule' ? false : prop === 'default' ? stub : unavailable),
  apply: () => unavailable(),
  construct: () => unavailable(),
};
const stub: unknown = new Proxy(function stub() {}, handler);
export default stub;
