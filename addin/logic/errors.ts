// Every error the officer sees is one plain Chinese sentence saying what happened and what to do.
import { SheetError as ReaderError } from '../../shared/sheet/errors.ts';
import { SheetError as AdapterError } from '../excel/adapter.ts';
import { RulebookFetchError } from './rulebook.ts';
import { SubmitError } from './submit.ts';

const OFFICE_CODES: Record<string, string> = {
  ItemNotFound: '找不到要操作的工作表或单元格（可能刚被改名、删除或移动），请重新识别后再试',
  InvalidArgument: 'Excel 拒绝了这次操作（参数无效），请重新识别后再试',
  InvalidReference: 'Excel 拒绝了这次操作（引用无效），请重新识别后再试',
  RequestPayloadSizeLimitExceeded: '一次要写入的数据超过了网页版 Excel 的上限（5 MB），请分表评分',
  ResponsePayloadSizeLimitExceeded: '工作表的数据量超过了网页版 Excel 单次读取的上限（5 MB），请删去无关的行列后再试',
  ApiNotFound: '此版本的 Excel 不支持考评插件需要的功能，请升级到 Microsoft 365 或使用网页版 Excel',
  AccessDenied: '工作表受保护或正在编辑，无法写入：请先退出单元格编辑、取消工作表保护后再试',
  InvalidOperationInCellEditMode: '您正在编辑单元格：请先按回车或 Esc 退出编辑，再点按钮',
  GeneralException: 'Excel 内部出错，请稍后再试；如果反复出现，请保存并重新打开工作簿',
  Conflict: '工作簿正在被他人同时编辑，请稍后再试',
};

export function describeError(e: unknown): string {
  if (e instanceof AdapterError || e instanceof ReaderError || e instanceof RulebookFetchError || e instanceof SubmitError) return e.message;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && OFFICE_CODES[code]) return OFFICE_CODES[code]!;
  if (e instanceof Error && /[\u4e00-\u9fff]/.test(e.message)) return e.message;
  const detail = e instanceof Error ? e.message : String(e);
  return `操作没有完成：${detail || '未知错误'}。您的数据没有被改动，请重试`;
}
