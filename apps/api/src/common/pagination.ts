import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { fieldError } from './errors';
import { isUuid } from './params';

export class PageQuery {
  @ApiPropertyOptional({ default: 50, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Keyset cursor: the opaque id of the last row of the page. The row's own sort value is read back in SQL, so
 * the comparison keeps Postgres' microsecond precision (a millisecond JS Date would repeat rows).
 */
export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isUuid(id)) throw fieldError('cursor', '分页游标无效');
  return id;
}

export function pageOf<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? Buffer.from(last.id).toString('base64url') : null };
}

export const limitOf = (q: PageQuery): number => q.limit ?? 50;

/**
 * Orders by (createdAt, id), applies the cursor and fetches one row more than the page so `pageOf` can tell
 * whether a next page exists. `limit` (not `take`) keeps TypeORM from wrapping joined queries in a subquery.
 */
export function keyset<Q extends SelectQueryBuilder<ObjectLiteral>>(qb: Q, alias: string, q: PageQuery, direction: 'ASC' | 'DESC' = 'ASC', orderBy = 'createdAt'): Q {
  const after = decodeCursor(q.cursor);
  const metadata = qb.expressionMap.mainAlias!.metadata;
  // Any non-null column of the entity may order the pages (the inbox by due date); the cursor stays the row's id.
  const column = metadata.findColumnWithPropertyName(orderBy)?.databaseName;
  if (!column) throw new Error(`keyset: ${metadata.name} has no column ${orderBy}`);
  qb.orderBy(`${alias}.${orderBy}`, direction).addOrderBy(`${alias}.id`, direction).limit(limitOf(q) + 1);
  if (after) {
    const table = metadata.tableName;
    qb.andWhere(`(${alias}.${column}, ${alias}.id) ${direction === 'ASC' ? '>' : '<'} (SELECT k.${column}, k.id FROM ${table} k WHERE k.id = :keysetId)`, {
      keysetId: after,
    });
  }
  return qb;
}
