import { Injectable, type PipeTransform } from '@nestjs/common';
import { notFound } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

/** A path id that is not even a UUID names nothing: 404, like any unknown id. */
@Injectable()
export class IdParam implements PipeTransform<string, string> {
  constructor(private readonly what = '记录') {}
  transform(value: string): string {
    if (!isUuid(value)) throw notFound(this.what);
    return value;
  }
}
