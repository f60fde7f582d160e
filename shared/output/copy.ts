// The coloured copy of any file that could be scored. An .xlsx is annotated as it is, keeping everything the
// officer made (fonts, fills, borders, formulas, notes); any other format, or an .xlsx the writer cannot load, is
// rebuilt from the cells read (rebuild.ts) and annotated, and 考评结果 says what of the original was kept.
// One function for every host: `kaoping score --out`, the browser page's download (the add-in colours the open
// workbook itself).
import type { Workbook } from 'exceljs';
import { isSheetError } from '../sheet/errors.ts';
import { FORMAT_ZH, type SheetFormat, type SheetGrid } from '../sheet/types.ts';
import { annotateLoadedWorkbook, type AnnotationReport } from './annotate.ts';
import { gridsToWorkbook } from './rebuild.ts';
import { loadWorkbook, saveWorkbook } from './xlsx.ts';

export interface ColouredCopy {
  bytes: Uint8Array;
  /** The copy was rebuilt from the cells read (not the original workbook annotated in place). */
  rebuilt: boolean;
  /** What the copy kept of the original, as 考评结果 states it (absent when the original was annotated as is). */
  sourceNote?: string;
}

const KEPT = '保留了原表的数值、合并单元格、列宽和数字格式';
const LOST = '原表的字体、填充颜色、边框、批注和公式未能保留（公式按计算结果保留）';

function rebuiltNote(format: SheetFormat, why?: string): string {
  if (format === 'csv') return `原文件是${FORMAT_ZH.csv}，已转为 .xlsx 工作簿后着色（文本原样保留）`;
  if (why) return `原文件（${FORMAT_ZH.xlsx}）${why}，已按读取的单元格重新生成工作簿后着色：${KEPT}；${LOST}`;
  return `原文件是${FORMAT_ZH[format]}，已按读取的单元格重新生成 .xlsx 工作簿后着色：${KEPT}；${LOST}`;
}

/** Load an .xlsx for annotation in place, or say why it cannot be (the caller rebuilds it instead). */
async function loadOriginal(bytes: Uint8Array): Promise<{ wb: Workbook } | { why: string }> {
  try {
    return { wb: await loadWorkbook(bytes.slice()) };
  } catch (e) {
    if (isSheetError(e) && e.code === 'too-many-validations') return { why: '的数据验证范围过大，无法在原工作簿上着色' };
    if (isSheetError(e) && e.code !== 'xlsx-invalid') throw e;
    return { why: '的部分内容（如批注或图形）无法由着色程序载入' };
  }
}

/**
 * The coloured copy of a scored file. `grids` are the sheets as readWorkbook read them from `bytes` (the report's
 * sheet names are theirs). Never modifies `bytes`.
 */
export async function colouredCopy(bytes: Uint8Array, grids: readonly SheetGrid[], report: AnnotationReport): Promise<ColouredCopy> {
  const format: SheetFormat = grids[0]?.source ?? 'csv';
  let why: string | undefined;
  if (format === 'xlsx') {
    const loaded = await loadOriginal(bytes);
    if ('wb' in loaded) {
      annotateLoadedWorkbook(loaded.wb, report);
      return { bytes: await saveWorkbook(loaded.wb), rebuilt: false };
    }
    why = loaded.why;
  }
  const { workbook, names } = gridsToWorkbook(grids);
  const sourceNote = rebuiltNote(format, why);
  const sheets = report.sheets.map((s) => ({ ...s, name: names.get(s.name) ?? s.name }));
  annotateLoadedWorkbook(workbook, { ...report, sheets, sourceNote });
  return { bytes: await saveWorkbook(workbook), rebuilt: true, sourceNote };
}
