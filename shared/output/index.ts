// Outputs: the annotated copy of an officer's workbook, the removal of our annotations, the blank
// template, and CSV helpers. Pure: usable from the CLI, the browser page and the Worker.
export { annotateWorkbook, annotateLoadedWorkbook, noteLines } from './annotate.ts';
export { colouredCopy, type ColouredCopy } from './copy.ts';
export { gridsToWorkbook } from './rebuild.ts';
export type { AnnotationReport } from './annotate.ts';
export { removeAnnotations, stripAnnotations } from './remove.ts';
export type { RemovalReport } from './remove.ts';
export { KAOPING_NOTE_SEPARATOR, RESULT_SHEET, LEDGER_SHEET, STORE_SHEET, OUR_SHEETS } from './names.ts';
export { STATUS_PALETTE, STATUS_SEVERITY, LEGEND, SKIPPED_LABEL, worstStatus, statusFill, solidFill } from './palette.ts';
export type { StatusStyle } from './palette.ts';
export { SUMMARY_COLUMNS, SUMMARY_HEADER_ROW, summaryRow, countStatuses } from './summary.ts';
export { LEDGER_COLUMNS, LEDGER_HEADER_ROW, DEFAULT_DEADLINE_DAYS, ledgerRows } from './ledger.ts';
export type { LedgerRow } from './ledger.ts';
export { citation, citedMessage, resultLine, skippedLine, periodEnd, rectificationDeadline } from './format.ts';
export { neutralizeCsvCell, csvField, toCsv } from './csv.ts';
export {
  buildTemplate,
  buildTemplateWorkbook,
  templateColumns,
  inputReaders,
  headerNote,
  headerText,
  columnValidation,
  IDENTITY_COLUMNS,
  TEMPLATE_SHEET,
  TEMPLATE_HELP_SHEET,
  TEMPLATE_HEADER_ROW,
  TEMPLATE_FIRST_DATA_ROW,
  TEMPLATE_DATA_ROWS,
  DEFAULT_TEMPLATE_TITLE,
} from './template.ts';
export type { TemplateOptions, TemplateColumn, InputReader } from './template.ts';
