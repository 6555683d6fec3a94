import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Test } from '@nestjs/testing';
import { DECORATORS, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

type Schema = { type?: string; nullable?: boolean; format?: string; properties?: Record<string, Schema>; additionalProperties?: unknown; $ref?: string; allOf?: unknown[]; enum?: unknown[]; items?: Schema };

/** Every class of the API's *.dto.ts files that carries OpenAPI properties. */
function dtoClasses(): Function[] {
  const root = path.resolve(__dirname, '..');
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.dto.ts') ? [path.join(dir, e.name)] : []));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return files(root).flatMap((f) => Object.values(require(f) as Record<string, unknown>)).filter(
    (v): v is Function => typeof v === 'function' && Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, v.prototype) !== undefined,
  );
}

/** The schemas of the OpenAPI document, as GET /api/docs-json serves them, for every DTO. */
async function schemas(): Promise<Record<string, Schema>> {
  const moduleRef = await Test.createTestingModule({}).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  const doc = SwaggerModule.createDocument(app, new DocumentBuilder().build(), { extraModels: dtoClasses() });
  await app.close();
  return doc.components?.schemas as Record<string, Schema>;
}

describe('OpenAPI types', () => {
  let all: Record<string, Schema>;
  beforeAll(async () => {
    all = await schemas();
  });

  it('types toUserId of a reassignment as a nullable string', () => {
    expect(all.ReassignDto?.properties?.toUserId).toMatchObject({ type: 'string', format: 'uuid', nullable: true });
  });

  it('gives every nullable property its real type (a `string | null` is not an object)', () => {
    const wrong = Object.entries(all).flatMap(([name, s]) =>
      Object.entries(s.properties ?? {})
        .filter(([, p]) => p.nullable === true && !p.$ref && !p.allOf && (p.type === undefined || (p.type === 'object' && !p.properties && !p.additionalProperties)))
        .map(([prop]) => `${name}.${prop}`),
    );
    expect(Object.keys(all).length).toBeGreaterThan(20);
    expect(wrong).toEqual([]);
  });

  it('declares the date-only fields as dates and the integer columns with their range', () => {
    expect(all.CreateMemberDto?.properties?.birthDate).toMatchObject({ type: 'string', format: 'date' });
    expect(all.UpdateInstitutionDto?.properties?.bedCount).toMatchObject({ type: 'integer', maximum: 2_147_483_647, nullable: true });
  });
});
