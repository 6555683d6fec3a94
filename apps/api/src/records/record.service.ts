import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource } from 'typeorm';
import { descriptorOf } from '@app/contracts';
import type { Finding } from '@app/domain';
import { InstitutionEntity, OrganizationEntity, PartyMemberEntity, ProcessEventEntity, UserEntity, type ProcessEntity } from '@app/persistence';
import type { AuthUser } from '../common/auth-user';
import { ProcessesService } from '../processes/processes.service';
import { actionLabel, processTitle, shanghaiDateTime, statusLabel, stepLabel } from './record-labels';
import type { RecordEntry, RecordView } from './record-page.renderer';

const DECISIONS = new Set(['APPROVE', 'REJECT', 'RETURN']);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Names by id for everything a record mentions, fetched once per page. */
interface Names {
  orgs: Map<string, string>;
  users: Map<string, string>;
  members: Map<string, string>;
  institutions: Map<string, string>;
}

/** Gathers the 审批单 of one process: the request, every timeline entry in words, and the outcome. */
@Injectable()
export class RecordService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    /** The read scope is ProcessesService's own check (404 unknown, 403 outside the scope). */
    private readonly processes: ProcessesService,
  ) {}

  async view(user: AuthUser, id: string): Promise<RecordView> {
    const p = await this.processes.readable(user, id);
    const events = await this.ds.getRepository(ProcessEventEntity).find({ where: { processId: id }, order: { id: 'ASC' } });
    const names = await this.names(p, events);
    const inst = p.institutionId ? await this.ds.getRepository(InstitutionEntity).findOne({ select: { id: true, name: true }, where: { id: p.institutionId } }) : null;
    const subject = str(p.payload.name);
    return {
      processId: p.id,
      title: subject ? `${processTitle(p.kind)}：${subject}` : processTitle(p.kind),
      institutionName: inst?.name ?? '—',
      applicantName: names.users.get(p.applicantId) ?? '—',
      submittedAt: p.createdAt,
      statusLabel: statusLabel(p.status),
      currentStepLabel: p.status === 'RUNNING' || p.status === 'RETURNED' ? stepLabel(p.currentStep, p.kind) : '',
      request: this.request(p, names),
      entries: events.map((e) => this.entry(e, names, p.kind)),
      result: this.result(p, events, names),
      printedAt: new Date(),
    };
  }

  /** The names of every registry id the request, the result and the timeline carry (four queries at most). */
  private async names(p: ProcessEntity, events: ProcessEventEntity[]): Promise<Names> {
    const ids = new Set<string>([p.applicantId]);
    collectIds(p.payload, ids);
    collectIds(p.result, ids);
    for (const e of events) {
      collectIds(e.data, ids);
      if (e.onBehalfOfId) ids.add(e.onBehalfOfId);
    }
    const where = { id: In([...ids]) };
    const [orgs, users, members, institutions] = await Promise.all([
      this.ds.getRepository(OrganizationEntity).find({ select: { id: true, name: true }, where }),
      this.ds.getRepository(UserEntity).find({ select: { id: true, displayName: true }, where }),
      this.ds.getRepository(PartyMemberEntity).find({ select: { id: true, name: true }, where }),
      this.ds.getRepository(InstitutionEntity).find({ select: { id: true, name: true }, where }),
    ]);
    return {
      orgs: new Map(orgs.map((o) => [o.id, o.name])),
      users: new Map(users.map((u) => [u.id, u.displayName])),
      members: new Map(members.map((m) => [m.id, m.name])),
      institutions: new Map(institutions.map((i) => [i.id, i.name])),
    };
  }

  /** 申请内容: what was asked for, in the kind's own words (its descriptor), else its fields as submitted. */
  private request(p: ProcessEntity, names: Names): Array<[string, string]> {
    const name = (id: string): string => names.orgs.get(id) ?? names.institutions.get(id) ?? names.members.get(id) ?? names.users.get(id) ?? id;
    const describe = descriptorOf(p.kind)?.describeRequest;
    if (describe) return describe(p.payload, name);
    return Object.entries(p.payload).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? name(x) : JSON.stringify(x))).join('、') : typeof v === 'string' ? name(v) : JSON.stringify(v)]);
  }

  private entry(e: ProcessEventEntity, names: Names, kind: string): RecordEntry {
    const d = e.data ?? {};
    const org = (id: unknown): string | null => (typeof id === 'string' ? (names.orgs.get(id) ?? id) : null);
    let actor = e.actorName ?? (e.actorId ? e.actorId : '系统');
    if (e.onBehalfOfId) actor += `（代 ${names.users.get(e.onBehalfOfId) ?? e.onBehalfOfId}）`;
    const notes: string[] = [];
    switch (e.action) {
      case 'TASK_OPENED':
        if (!e.actorId && org(d.candidateOrgId)) actor = org(d.candidateOrgId) as string;
        if (str(d.dueAt)) notes.push(`办理期限：${shanghaiDateTime(d.dueAt as string)}`);
        break;
      case 'TASK_OVERDUE':
        if (str(d.dueAt)) notes.push(`办理期限 ${shanghaiDateTime(d.dueAt as string)} 已过`);
        break;
      case 'ORGANIZATION_CREATED': {
        const term = str(d.termStart) && str(d.termEnd) ? `，任期 ${d.termStart as string} 至 ${d.termEnd as string}` : '';
        notes.push(`成立「${org(d.partyOrganizationId) ?? ''}」${term}`);
        break;
      }
      case 'RULES_FAILED':
        notes.push(...violations(d.findings));
        break;
      case 'TRANSFERRED':
      case 'REASSIGNED':
        if (str(d.toUserId)) notes.push(`转给：${names.users.get(d.toUserId as string) ?? (d.toUserId as string)}`);
        break;
    }
    if (DECISIONS.has(e.action) && str(d.secretaryMemberId)) notes.push(`指定书记：${names.members.get(d.secretaryMemberId as string) ?? (d.secretaryMemberId as string)}`);
    const attachments = DECISIONS.has(e.action) ? attachmentLines(d.attachments) : [];
    return { at: e.at, step: stepLabel(e.step, kind), actor, action: actionLabel(e.action, kind), comment: e.comment ?? '', note: notes.join('；'), ...(attachments.length ? { attachments } : {}) };
  }

  /** 办理结果: the outcome in words, the organisation it created, and the deciding opinion. */
  private result(p: ProcessEntity, events: ProcessEventEntity[], names: Names): string[] {
    const lines: string[] = [];
    switch (p.status) {
      case 'RUNNING':
      case 'RETURNED':
        lines.push(`尚未办结（${statusLabel(p.status)}）`);
        break;
      case 'FAILED':
        lines.push('未通过', ...violations(p.findings));
        break;
      default:
        lines.push(statusLabel(p.status));
    }
    const created = str(p.result?.partyOrganizationId);
    if (created) lines.push(`已成立：${names.orgs.get(created) ?? created}`);
    const last = [...events].reverse().find((e) => DECISIONS.has(e.action));
    if (last) lines.push(`审批意见：${last.actorName ?? '—'} ${actionLabel(last.action)}${last.comment ? `，“${last.comment}”` : ''}（${shanghaiDateTime(last.at)}）`);
    if (p.closedAt) lines.push(`办结时间：${shanghaiDateTime(p.closedAt)}`);
    return lines;
  }
}

/** A decision's attachments as the timeline carries them: name, size and the first 16 hex digits of the sha256. */
function attachmentLines(refs: unknown): string[] {
  if (!Array.isArray(refs)) return [];
  return refs
    .filter((r): r is { fileName: string; sizeBytes: number; sha256: string } => typeof r?.fileName === 'string' && typeof r?.sha256 === 'string')
    .map((r) => `${r.fileName}（${byteSize(r.sizeBytes)}，SHA-256 ${r.sha256.slice(0, 16)}…）`);
}

function byteSize(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} 字节`;
}

function violations(findings: unknown): string[] {
  if (!Array.isArray(findings)) return [];
  return (findings as Finding[]).filter((f) => f?.severity === 'VIOLATION').map((f) => `${f.ruleId}：${f.message}`);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every id-shaped string in a JSON value (bounded: the values are the system's own records). */
function collectIds(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    if (UUID.test(value)) into.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectIds(v, into);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) collectIds(v, into);
  }
}
