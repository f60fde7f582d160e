// One error type for the whole API, turned into a response in one place (app.onError).
// Body: { "error": { "code", "message" } }; message in Chinese for users.
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, detail?: unknown) => new ApiError(400, code, message, detail);
export const unauthorized = (message = '请先登录') => new ApiError(401, 'unauthorized', message);
export const forbidden = (message = '没有权限访问') => new ApiError(403, 'forbidden', message);
export const notFound = (message = '找不到请求的内容') => new ApiError(404, 'not_found', message);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);

export function errorBody(e: ApiError): { error: { code: string; message: string; detail?: unknown } } {
  return { error: { code: e.code, message: e.message, ...(e.detail !== undefined ? { detail: e.detail } : {}) } };
}
