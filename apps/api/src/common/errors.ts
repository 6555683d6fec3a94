import { HttpException, HttpStatus } from '@nestjs/common';

export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

/** The error body of API.md: `{statusCode, error, message, details?}`; messages for people are zh-CN. */
export class ApiError extends HttpException {
  constructor(status: HttpStatus, message: string, details?: unknown[]) {
    super({ statusCode: status, error: shortName(status), message, ...(details ? { details } : {}) }, status);
  }
}

export const badRequest = (message: string, details?: unknown[]): ApiError => new ApiError(HttpStatus.BAD_REQUEST, message, details);
export const fieldError = (field: string, message: string): ApiError =>
  new ApiError(HttpStatus.BAD_REQUEST, `${field}: ${message}`, [{ field, message }]);
export const notFound = (what: string): ApiError => new ApiError(HttpStatus.NOT_FOUND, `${what}不存在`);
export const forbidden = (message = '无权执行此操作'): ApiError => new ApiError(HttpStatus.FORBIDDEN, message);
export const conflict = (message: string): ApiError => new ApiError(HttpStatus.CONFLICT, message);

export function shortName(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    501: 'Not Implemented',
    503: 'Service Unavailable',
  };
  return names[status] ?? HttpStatus[status] ?? 'Error';
}
