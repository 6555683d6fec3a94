import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { daysBetween, OPEN_PROCESS_STATUSES, PARTY_ORG_KINDS, toCalendarDate } from '@app/domain';
import type { ExpiredTermDto, OverdueReportDto, OverdueTaskDto } from './overdue.dto';

const MAX_ROWS = 500;

const OVERDUE_TASKS_SQL = `
  SELECT t.id AS "taskId", t.title, t.step, t.due_at AS "dueAt", t.overdue AS "markedOverdue",
         t.candidate_org_id AS "candidateOrgId", o.name AS "candidateOrgName", t.assignee_id AS "assigneeId",
         p.id AS "processId", p.kind AS "processKind", p.status AS "processStatus",
         p.institution_id AS "institutionId", i.name AS "institutionName",
         COUNT(*) OVER () AS total
    FROM tasks t
    JOIN processes p ON p.id = t.process_id
    JOIN organizations o ON o.id = t.candidate_org_id
    LEFT JOIN institutions i ON i.id = p.institution_id
   WHERE t.status = 'OPEN' AND t.due_at < $1
   ORDER BY t.due_at ASC, t.id ASC
   LIMIT ${MAX_ROWS}`;

/**
 * A renewal counts as under way while its process is open (RUNNING, or RETURNED to the applicant for changes).
 * The process names the organisation in its payload (API.md: term-renewal `{partyOrganizationId}`).
 */
const EXPIRED_TERMS_SQL = `
  SELECT o.id AS "organizationId", o.name, o.kind, o.parent_id AS "parentId", parent.name AS "parentName",
         o.institution_id AS "institutionId", i.name AS "institutionName",
         to_char(o.term_start, 'YYYY-MM-DD') AS "termStart", to_char(o.term_end, 'YYYY-MM-DD') AS "termEnd",
         COUNT(*) OVER () AS total
    FROM organizations o
    LEFT JOIN organizations parent ON parent.id = o.parent_id
    LEFT JOIN institutions i ON i.id = o.institution_id
   WHERE o.kind = ANY($1::text[]) AND o.term_end IS NOT NULL AND o.term_end < $2::date
     AND NOT EXISTS (
       SELECT 1 FROM processes r
        WHERE r.kind = 'term-renewal' AND r.status = ANY($3::text[]) AND r.payload->>'partyOrganizationId' = o.id::text)
   ORDER BY o.term_end ASC, o.id ASC
   LIMIT ${MAX_ROWS}`;

type Row<T> = T & { total: string };

@Injectable()
export class OverdueService {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  async report(now = new Date()): Promise<OverdueReportDto> {
    const today = toCalendarDate(now);
    const [taskRows, termRows] = await Promise.all([
      this.ds.query(OVERDUE_TASKS_SQL, [now]) as Promise<Array<Row<Omit<OverdueTaskDto, 'overdueSeconds' | 'overdueText'>>>>,
      this.ds.query(EXPIRED_TERMS_SQL, [[...PARTY_ORG_KINDS], today, [...OPEN_PROCESS_STATUSES]]) as Promise<Array<Row<Omit<ExpiredTermDto, 'expiredDays'>>>>,
    ]);
    const tasks = taskRows.map(({ total: _total, ...t }) => {
      const seconds = Math.floor((now.getTime() - new Date(t.dueAt).getTime()) / 1000);
      return { ...t, overdueSeconds: seconds, overdueText: overdueText(seconds) };
    });
    const terms = termRows.map(({ total: _total, ...o }) => ({ ...o, expiredDays: daysBetween(o.termEnd, today) }));
    return {
      generatedAt: now,
      asOf: today,
      counts: { tasks: Number(taskRows[0]?.total ?? 0), terms: Number(termRows[0]?.total ?? 0), dispatches: 0 },
      tasks,
      terms,
      // No dispatch records exist yet (the secretary-dispatch process is not built); nothing can be short of duty.
      dispatches: [],
    };
  }
}

/** `93784` → `1天2小时`; under an hour in minutes. */
export function overdueText(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return hours > 0 ? `${days}天${hours}小时` : `${days}天`;
  if (hours > 0) return minutes > 0 ? `${hours}小时${minutes}分钟` : `${hours}小时`;
  return `${Math.max(minutes, 1)}分钟`;
}
