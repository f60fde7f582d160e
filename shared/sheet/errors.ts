// Errors raised while reading a workbook. Every message is Chinese and meant for the officer who
// uploaded the file; the library's own error (if any) is kept as `cause` for logs, never shown.

export type SheetErrorCode =
  | 'empty-file' // 0 bytes
  | 'xls' // OLE2 compound file: .xls / WPS .et (or another legacy Office file)
  | 'encrypted' // password-protected OOXML (stored inside an OLE2 container)
  | 'ods' // OpenDocument spreadsheet
  | 'xlsb' // binary Excel workbook
  | 'not-spreadsheet-zip' // a zip that holds no workbook (.docx, .pptx, plain .zip)
  | 'xlsx-corrupt' // zip structure broken (truncated download, wrong transfer mode)
  | 'xlsx-invalid' // zip is fine but the workbook XML cannot be read
  | 'html' // an HTML page saved as .xls (common in exports from web systems)
  | 'xml-2003' // Excel 2003 XML spreadsheet
  | 'pdf'
  // The workbook reader (shared/sheet/read.ts, SheetJS)
  | 'xls-old' // a bare BIFF2–4 stream (Excel 4.0 or older)
  | 'mhtml' // a 单个文件网页 (.mht) saved under an Excel name
  | 'xml-unknown' // XML that is not SpreadsheetML 2003
  | 'not-workbook' // an OLE2 compound file without a Workbook/Book stream (.doc, .msg, a WPS .et in its own format)
  | 'workbook-invalid' // the container is sound but the workbook inside cannot be parsed
  | 'no-table' // an HTML file without a <table>
  | 'read-timeout' // the command line's reading thread ran out of time (cli/read-isolated.ts)
  | 'read-memory' // … or out of memory, or died
  | 'binary' // anything else that is not text
  | 'mapping-json' // mapping override is not JSON
  | 'mapping-schema' // mapping override has the wrong shape
  | 'mapping-unknown-input' // mapping override names an input id the catalogue does not have
  | 'mapping-unknown-column' // mapping override names a column the sheet does not have
  | 'mapping-conflict' // mapping override maps one input to two columns
  // Limits (shared/sheet/limits.ts, SHEET_LIMITS; checked by the zip guard before ExcelJS inflates anything)
  | 'file-too-large' // more bytes than maxFileBytes
  | 'zip-entries' // more parts than maxZipEntries
  | 'zip-part-too-large' // one part declares more than maxPartBytes uncompressed
  | 'zip-total-too-large' // all parts declare more than maxTotalBytes
  | 'zip-ratio' // a part's compression ratio is bomb-like (above maxRatio)
  | 'zip-inconsistent' // headers disagree, data overlaps or lies outside, or a part inflates to another size than declared
  | 'zip-unsupported' // ZIP64 end record, split archive, compression other than stored/deflate
  | 'xlsx-unsupported-env' // no DecompressionStream to check the parts with (very old browser)
  | 'too-many-rows' // a sheet beyond maxRows
  | 'too-many-columns' // a sheet beyond maxColumns
  | 'too-many-cells' // more than maxCells cells in the file
  | 'cell-too-long' // one cell beyond maxCellChars characters
  | 'too-many-merges' // more merged ranges than maxMerges, or more merged cells than maxMergedCells
  | 'too-many-validations' // data validations over more than maxValidationCells cells (when loading for annotation)
  | 'too-many-hyperlinks' // hyperlinks over more than maxHyperlinkCells cells (SheetJS visits every covered cell)
  // Guards of the other formats (cfb-guard.ts, markup-guard.ts; ODS and xlsb in zip-guard.ts)
  | 'cfb-corrupt' // .xls / .et compound file (OLE2) or its BIFF records broken: chains out of range or cyclic, truncated
  | 'cfb-entries' // more directory entries than maxCfbEntries in a compound file
  | 'markup-too-large' // HTML / XML 2003 text longer than maxMarkupChars, or a repeat/span/index beyond the sheet limits
  | 'markup-too-deep' // elements (or tables) nested deeper than maxMarkupDepth / maxTableDepth
  | 'markup-invalid' // HTML / XML 2003 markup the reader cannot take safely (a span or index that is not a number, '<' in an XML attribute)
  | 'xml-entity'; // a DOCTYPE with an internal subset or an ENTITY declaration (entity-expansion bombs)

/** Control, line-breaking and bidi-override characters → U+FFFD. Messages quote what the file holds (part
 * names, cell text); a name with a line break or a right-to-left override must not reshape the one-line message
 * an officer reads. */
export function visibleText(s: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
}

export class SheetError extends Error {
  override readonly name = 'SheetError';
  readonly code: SheetErrorCode;
  /** Technical detail (library message), for logs only. */
  readonly detail?: string;

  constructor(code: SheetErrorCode, message: string, options?: { cause?: unknown; detail?: string }) {
    super(visibleText(message), options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options?.detail !== undefined) this.detail = options.detail;
  }
}

export function isSheetError(e: unknown): e is SheetError {
  return e instanceof SheetError;
}
