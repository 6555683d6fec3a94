/**
 * A process kind's descriptor: everything the generic parts of the system (the API's processes and tasks services,
 * the web application's forms and diagrams, the README) need to know about it, in one place. Its workflow
 * (workflows/<kind>.workflow.ts) reads the steps from here; its activities (apps/worker/src/activities/
 * <kind>.activities.ts) implement the activity interface declared beside it.
 *
 * Pure data and zod schemas: the workflow bundle may import it.
 */
import { z } from 'zod';
import type { Decision, Finding, ProcessKind } from '@app/domain';

export interface StepDescriptor {
  /** What the task asks, in Chinese (the inbox title). */
  title: string;
  /** Who decides, in words (the process diagram and the README). */
  decidedBy: string;
  /** The decisions this step offers (default: APPROVE, REJECT, RETURN). */
  decisions?: readonly Decision[];
  /** The decision data this step accepts: anything else is refused, naming the field. */
  data?: z.ZodObject;
  /**
   * An activity that confirms the data against the registry (e.g. the secretary is a member of the branch):
   * `(input: { processId, step, data }) => Promise<Array<{ field, message }>>`, called by the API before deciding.
   */
  checkDataActivity?: string;
  /** A system step (no inbox task): shown on the diagram only. */
  system?: boolean;
}

export interface ProcessDescriptor<K extends ProcessKind = ProcessKind, P extends z.ZodObject = z.ZodObject> {
  kind: K;
  /** The workflow function's name (workflows/index.ts exports it). */
  workflowType: string;
  /** The kind's name for people, and one line on what it does. */
  label: string;
  /** The matter as emails and the record name it (default: the label + 申请, e.g. 成立党支部申请). */
  matter?: string;
  summary: string;
  /** The request body of `POST /processes/:kind` (and of a resubmission). */
  payload: P;
  /** The steps in order, by id (the id is the task's `step`). */
  steps: Readonly<Record<string, StepDescriptor>>;
  /**
   * The activity the API calls before starting one (and the workflow after a resubmission): it reads the facts and
   * asks the policy library whether the request may start (see `Admission`).
   */
  admitActivity: string;
  /** Every activity of the kind (the worker checks each is registered). */
  activities: readonly string[];
  /**
   * 申请内容 of the printable record (审批单): the request in words. `name` gives the name of any registry id in the
   * payload (organisation, institution, member, user), or the id itself. Without it the payload's fields are listed.
   */
  describeRequest?: (payload: Record<string, unknown>, name: (id: string) => string) => Array<[string, string]>;
  /** Words for the timeline actions the kind's activities record (e.g. FOUNDING_ELECTION_RECORDED). */
  actionLabels?: Readonly<Record<string, string>>;
}

export function defineProcess<K extends ProcessKind, P extends z.ZodObject>(d: ProcessDescriptor<K, P>): ProcessDescriptor<K, P> {
  // zod defines an object schema's `shape` on first use. The worker shares the descriptors between workflow runs
  // frozen (preloaded, libs/temporal workflow-bundling), where that first use would fail: it happens here instead.
  for (const step of Object.values(d.steps) as Array<{ data?: z.ZodObject }>) void step.data?.shape;
  return d;
}

/** The admission of a request: what the API needs to refuse it (and why), authorise it and file it. */
export interface Admission {
  /** 400 naming a field: an id that does not exist, a member of another institution, … */
  fieldErrors: Array<{ field: string; message: string }>;
  /** 409: the registry's state forbids it (e.g. the institution already has its organisation). */
  conflict: string | null;
  /** The policy's verdict: false refuses it with 400 and the findings. */
  allowed: boolean;
  findings: Finding[];
  /** The institution the process is filed under (scope, lists, one open process per subject). */
  institutionId: string | null;
  /** Besides an ADMIN, who may start it: APPLICANT users of these institutions, and these users. */
  applicantInstitutionIds: string[];
  applicantUserIds: string[];
  /** At most one open process of the kind per subject (default: the institution). */
  subjectKey: string;
  /** Passed to the workflow with the process id. */
  workflowInput: Record<string, unknown>;
}

/** The admit activity's input. */
export interface AdmissionRequest {
  payload: Record<string, unknown>;
  actorId: string;
  /** A resubmission of this process (its own subject is not a conflict). */
  processId?: string;
}

/** An admission that refuses before any policy question: e.g. the subject does not exist. */
export function refusedAdmission(fieldErrors: Admission['fieldErrors'], subjectKey = ''): Admission {
  return { fieldErrors, conflict: null, allowed: false, findings: [], institutionId: null, applicantInstitutionIds: [], applicantUserIds: [], subjectKey, workflowInput: {} };
}

// Shared field schemas with Chinese messages (the web application shows the same ones beside the field).
/** A message for a broken rule of a field; a field left out is "required" whatever the rule. */
export const say =
  (label: string, text: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? `${label}为必填项` : `${label}${text}`;

/**
 * A field's label as the JSON Schema's `title` (GET /process-kinds): the web form shows its Chinese part, e.g.
 * `name（支部名称）` → 支部名称. Use it on a field built without these helpers, e.g. a boolean.
 */
export const titled = <S extends z.ZodType>(schema: S, label: string): S => schema.meta({ title: label });

export const uuidField = (label: string) => titled(z.uuid({ error: say(label, '必须是有效的 ID') }), label);
export const dateField = (label: string) => titled(z.iso.date({ error: say(label, '必须是 YYYY-MM-DD 格式的日期') }), label);
export const textField = (label: string, min: number, max: number) =>
  titled(
    z
      .string({ error: say(label, '必须是文本') })
      .trim()
      .min(min, { error: min === 1 ? `${label}不能为空` : `${label}至少 ${min} 个字` })
      .max(max, { error: `${label}最多 ${max} 个字` }),
    label,
  );
export const idList = (label: string, min: number, max: number) =>
  titled(
    z
      .array(uuidField(label), { error: say(label, '必须是 ID 列表') })
      .min(min, { error: `${label}至少 ${min} 项` })
      .max(max, { error: `${label}最多 ${max} 项` })
      .refine((a) => new Set(a).size === a.length, { error: `${label}不能重复` }),
    label,
  );
/** Integer fen (分): money is never a float. */
export const fenField = (label: string, max = 100_000_000_00) =>
  titled(
    z
      .number({ error: say(label, '必须是以分为单位的整数') })
      .int({ error: `${label}必须是以分为单位的整数` })
      .min(0, { error: `${label}不能为负数` })
      .max(max, { error: `${label}超出上限` }),
    label,
  );
export const enumField = <const T extends readonly [string, ...string[]]>(label: string, values: T) =>
  titled(z.enum(values, { error: say(label, `必须是 ${values.join('、')} 之一`) }), label);

/** The issues of a failed parse as the API's error details: the field's path and one message per field. */
export function issueDetails(error: z.ZodError): Array<{ field: string; message: string }> {
  const out = new Map<string, string>();
  for (const issue of error.issues) {
    const base = fieldPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.set(base ? `${base}.${key}` : key, `不允许的字段 ${key}`);
    } else if (!out.has(base || 'body')) {
      out.set(base || 'body', issue.message);
    }
  }
  return [...out].map(([field, message]) => ({ field, message }));
}

/** `lines[1].note`: the notation every validator of the API uses for a field's path. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}
