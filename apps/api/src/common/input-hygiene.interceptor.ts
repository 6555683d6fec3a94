import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { textProblem } from './clean-text';
import { fieldError } from './errors';

/** Deeper than any request of the contract nests (the policy settings are 3 levels); 5,000 levels must not reach the validator. */
export const MAX_INPUT_DEPTH = 32;

/** Keys that would reach an object's prototype when copied or merged. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface InputProblem {
  field: string;
  message: string;
}

/** `lines[0].note`: the notation the other validators use for a field's path. */
const join = (path: string, key: string, inArray: boolean): string => (inArray ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/**
 * The first problem in a parsed body or query: unclean text in a value or a key, a prototype key, or nesting
 * deeper than MAX_INPUT_DEPTH. Returns before going deeper than the limit, so a hostile depth costs nothing.
 */
export function inspectInput(value: unknown, path = '', depth = 0): InputProblem | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { field: path || 'body', message: problem } : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= MAX_INPUT_DEPTH) return { field: path || 'body', message: `嵌套层级过深（最多 ${MAX_INPUT_DEPTH} 层）` };
  const inArray = Array.isArray(value);
  for (const key of Object.keys(value)) {
    const field = join(path, key, inArray);
    if (PROTOTYPE_KEYS.has(key)) return { field, message: `不允许使用字段名 ${key}` };
    const keyProblem = textProblem(key);
    if (keyProblem) return { field: path || 'body', message: `字段名${keyProblem}` };
    const found = inspectInput((value as Record<string, unknown>)[key], field, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * A query parameter whose percent-encoding is not UTF-8 (e.g. the bytes of an unpaired surrogate): the query parser
 * would pass it on as the raw escape sequence, so it is refused here, naming the parameter.
 */
export function badlyEncodedQuery(url: string): InputProblem | null {
  const q = url.indexOf('?');
  if (q < 0) return null;
  for (const pair of url.slice(q + 1).split('&')) {
    const [rawKey = '', rawValue = ''] = pair.split('=', 2);
    for (const part of [rawKey, rawValue]) {
      try {
        decodeURIComponent(part.replace(/\+/g, ' '));
      } catch {
        return { field: safeDecode(rawKey) || 'query', message: '含有无效的 URL 编码（不是有效的 UTF-8）' };
      }
    }
  }
  return null;
}

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
};

/**
 * Strings are clean before any handler (or pipe) sees them: every query parameter and every field of every
 * parsed body, whatever the route. Runs after the guards (an unauthenticated request stays a 401) and before
 * the validation pipe; a refusal is a 400 naming the field, and route filters (the email-action page) still
 * render it their way. Multipart uploads are checked where their content is read (the import row report).
 */
@Injectable()
export class InputHygieneInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() === 'http') {
      const req = ctx.switchToHttp().getRequest<Request>();
      const problem = badlyEncodedQuery(req.originalUrl ?? req.url) ?? inspectInput(req.query) ?? inspectInput(req.body);
      if (problem) throw fieldError(problem.field, problem.message);
    }
    return next.handle();
  }
}
