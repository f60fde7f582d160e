// Injected into the scoring page's bundle only (scripts/build-assets.mjs, esbuild `inject`): iconv-lite, which
// reads GB18030/GBK CSV files, expects Node's global `Buffer`; the `buffer` package provides it in the browser.
export { Buffer } from 'buffer';
