import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { PROCESS_DESCRIPTORS, type ProcessDescriptor } from '@app/contracts';
import { DECISIONS, PROCESS_KINDS } from '@app/domain';

type JsonSchema = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any' }) as JsonSchema;

/** A kind as people and clients see it: its name, its request schema and its steps (the process diagram). */
export function describeKind(d: ProcessDescriptor): Record<string, unknown> {
  return {
    kind: d.kind,
    label: d.label,
    summary: d.summary,
    available: true,
    payloadSchema: jsonSchema(d.payload),
    steps: Object.entries(d.steps).map(([id, s]) => ({
      id,
      title: s.title,
      decidedBy: s.decidedBy,
      system: s.system === true,
      decisions: s.system ? [] : [...(s.decisions ?? DECISIONS)],
      dataSchema: s.data ? jsonSchema(s.data) : null,
    })),
  };
}

/** The request schemas of the kinds that exist (the OpenAPI body of POST /processes/{kind}). */
export function payloadSchemas(): JsonSchema[] {
  return Object.values(PROCESS_DESCRIPTORS).map((d) => ({ title: d.kind, description: d.label, ...jsonSchema(d.payload) }));
}

/** The process kinds, from their descriptors: what the web application builds its forms and diagrams from. */
@ApiTags('processes')
@ApiBearerAuth()
@Controller('process-kinds')
export class ProcessKindsController {
  @Get()
  @ApiOkResponse({ description: '每种流程：名称、请求体的 JSON Schema、各环节（审批人、可作的决定、决定数据的 JSON Schema）；尚未开放的类型 available 为 false' })
  list(): Array<Record<string, unknown>> {
    return PROCESS_KINDS.map((kind) => {
      const d = (PROCESS_DESCRIPTORS as Record<string, ProcessDescriptor | undefined>)[kind];
      return d ? describeKind(d) : { kind, available: false };
    });
  }
}
