import 'reflect-metadata';
import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import type { ValidatorOptions } from 'class-validator';
import { ApiError } from './errors';
import { messageFor } from './validation-messages';

interface FieldMessage {
  field: string;
  message: string;
}

/** One entry per offending field (nested fields as `parent.child`), worded by messageFor. */
function flatten(errors: ValidationError[], prefix = ''): FieldMessage[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property || 'body';
    const own = Object.keys(e.constraints ?? {}).length > 0 ? [{ field, message: messageFor(e, field) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Whether the OpenAPI document declares the property nullable: the one place that says where `null` may be sent. */
function declaredNullable(dto: object, property: string): boolean {
  const meta: unknown = Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, Object.getPrototypeOf(dto), property);
  return typeof meta === 'object' && meta !== null && (meta as { nullable?: unknown }).nullable === true;
}

/**
 * `null` is "clear this value", accepted only where the API declares the property nullable (and so the column
 * allows it); elsewhere it is a 400, never a NOT NULL violation. class-validator's IsOptional lets null through,
 * so the check is made here, for every DTO at once.
 */
class ContractValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Every DTO body is an object; an array would be validated index by index as unknown fields. (A body taken
    // as `unknown` has its own validator.)
    if (metadata.type === 'body' && Array.isArray(value) && this.toValidate(metadata)) {
      throw new ApiError(400, '请求参数有误：请求体必须是 JSON 对象', [{ field: 'body', message: '请求体必须是 JSON 对象' }]);
    }
    return super.transform(value, metadata);
  }

  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, options);
    const flagged = new Set(errors.map((e) => e.property));
    for (const [property, value] of Object.entries(object)) {
      if (value !== null || flagged.has(property) || declaredNullable(object, property)) continue;
      errors.push({ property, value: null, target: object, constraints: { isNotNull: `${property} 不能为 null` }, children: [] });
    }
    return errors;
  }
}

/** 400 naming every offending field once, in Chinese; unknown fields are refused rather than silently dropped. */
export function createValidationPipe(): ValidationPipe {
  return new ContractValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // The target lets messageFor read a rule's argument; neither target nor value is sent back.
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new ApiError(400, `请求参数有误：${details.map((d) => d.message).join('；')}`, details);
    },
  });
}
