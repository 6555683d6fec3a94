/** A jsonb object column. `any` values keep TypeORM's deep-partial update types usable. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = { [key: string]: any };
