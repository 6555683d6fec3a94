import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { In, type DataSource } from 'typeorm';
import { descriptorOf, issueDetails, workflowIdFor } from '@app/contracts';
import { OPEN_PROCESS_STATUSES, type ProcessKind } from '@app/domain';
import { ProcessEntity, stableUuid, SYSTEM_USER_ID, TimelineWriter, type JsonObject } from '@app/persistence';
import { TemporalClientService } from '@app/temporal';

export interface LaunchRequest {
  kind: ProcessKind;
  /** What makes this opening unique (e.g. `budget:<orgId>:2027`): the same key never opens a second process. */
  key: string;
  payload: Record<string, unknown>;
  institutionId: string | null;
  /** One open process per kind and subject (as for the API's processes). */
  subjectKey: string;
  /** Whose request it is; default the system account (its steps are decided by the organisations' people). */
  applicantId?: string;
  /** Passed to the workflow with the process id. */
  workflowInput?: Record<string, unknown>;
}

export interface Launched {
  processId: string;
  /** False when the key had opened it already, or another process of the kind is open for the subject. */
  created: boolean;
}

/**
 * Opens a process on the system's behalf — a timer, a schedule or another process asks for it — exactly once per
 * key: the process id is derived from the key, the row is inserted only if absent, and starting an already started
 * workflow is a success. Safe to call again from a retried activity. The payload is checked against the kind's
 * schema (a bug, not input, if it fails).
 */
@Injectable()
export class ProcessLauncher {
  private readonly logger = new Logger('ProcessLauncher');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly temporal: TemporalClientService,
    private readonly timeline: TimelineWriter,
  ) {}

  async open(req: LaunchRequest): Promise<Launched> {
    const descriptor = descriptorOf(req.kind);
    if (!descriptor) throw new Error(`process kind ${req.kind} is not built`);
    const parsed = descriptor.payload.safeParse(req.payload);
    if (!parsed.success) throw new Error(`${req.kind} payload refused: ${JSON.stringify(issueDetails(parsed.error))}`);
    const processId = stableUuid(`launch:${req.kind}:${req.key}`);
    const workflowId = workflowIdFor(req.kind, processId);
    const applicantId = req.applicantId ?? SYSTEM_USER_ID;

    const existing = await this.ds.getRepository(ProcessEntity).findOneBy({ id: processId });
    if (!existing) {
      const open = await this.ds.getRepository(ProcessEntity).findOneBy({ kind: req.kind, subjectKey: req.subjectKey, status: In([...OPEN_PROCESS_STATUSES]) });
      if (open) return { processId: open.id, created: false };
      const inserted = await this.ds.transaction(async (m) => {
        const rows: unknown[] = await m.query(
          `INSERT INTO processes (id, kind, status, workflow_id, institution_id, applicant_id, subject_key, current_step, payload)
           VALUES ($1, $2, 'RUNNING', $3, $4, $5, $6, 'submitted', $7) ON CONFLICT DO NOTHING RETURNING id`,
          [processId, req.kind, workflowId, req.institutionId, applicantId, req.subjectKey, JSON.stringify(parsed.data)],
        );
        if (rows.length === 0) return false;
        await this.timeline.append(m, { eventKey: `submitted:${processId}`, processId, step: 'submitted', actorId: applicantId, action: 'SUBMITTED', data: parsed.data as JsonObject });
        return true;
      });
      if (!inserted) {
        // Another open process of the kind took the subject meanwhile (or this key's row raced in).
        const open = await this.ds.getRepository(ProcessEntity).findOneBy({ kind: req.kind, subjectKey: req.subjectKey, status: In([...OPEN_PROCESS_STATUSES]) });
        if (open && open.id !== processId) return { processId: open.id, created: false };
      }
    } else if (!OPEN_PROCESS_STATUSES.includes(existing.status)) {
      return { processId, created: false };
    }
    try {
      await this.temporal.client.workflow.start(descriptor.workflowType, {
        workflowId,
        taskQueue: this.temporal.taskQueue,
        args: [{ processId, ...(req.workflowInput ?? {}) }],
      });
      this.logger.log(`opened ${req.kind} ${processId} (${req.key})`);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return { processId, created: !existing };
  }
}
