import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { addDays, daysBetween, OPEN_PROCESS_STATUSES, PARTY_ORG_KINDS, staffTransferDueBy, toCalendarDate } from '@app/domain';
import { SettingsService } from '@app/persistence';
import type { ExpiredTermDto, OverdueDispatchDto, OverdueReportDto, OverdueTaskDto, OverdueTransferDto, StuckActivityDto } from './overdue.dto';

const MAX_ROWS = 500;

const OVERDUE_TASKS_SQL = `
  SELECT t.id AS "taskId", t.title, t.step, t.due_at AS "dueAt", t.overdue AS "markedOverdue",
         t.candidate_org_id AS "candidateOrgId", COALESCE(o.name, ci.name) AS "candidateOrgName", t.assignee_id AS "assigneeId",
         p.id AS "processId", p.kind AS "processKind", p.status AS "processStatus",
         p.institution_id AS "institutionId", i.name AS "institutionName",
         COUNT(*) OVER () AS total
    FROM tasks t
    JOIN processes p ON p.id = t.process_id
    LEFT JOIN organizations o ON o.id = t.candidate_org_id
    LEFT JOIN institutions ci ON ci.id = t.candidate_institution_id
    LEFT JOIN institutions i ON i.id = p.institution_id
   WHERE t.status = 'OPEN' AND t.due_at < $1
   ORDER BY t.due_at ASC, t.id ASC
   LIMIT ${MAX_ROWS}`;

/**
 * A renewal counts as under way while its process is open (RUNNING, or RETURNED to the applicant for changes),
 * unless the organisation's term watch already marked the term OVERDUE and escalated it.
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
   WHERE o.kind = ANY($1::text[]) AND o.term_end IS NOT NULL AND COALESCE(o.postponed_until, o.term_end) < $2::date
     AND (NOT EXISTS (
            SELECT 1 FROM processes r
             WHERE r.kind = 'term-renewal' AND r.status = ANY($3::text[]) AND r.payload->>'partyOrganizationId' = o.id::text)
          -- The term watch marked it OVERDUE (past the end, no new term): listed even with a renewal still under way.
          OR EXISTS (SELECT 1 FROM term_events e WHERE e.organization_id = o.id AND e.term_end = o.term_end AND e.kind = 'OVERDUE'))
   ORDER BY o.term_end ASC, o.id ASC
   LIMIT ${MAX_ROWS}`;

/**
 * R11: staff members of an institution with an organisation whose relation is not in it, who joined before $1 (so
 * their transfer is past due: staffTransferDueBy decides, this only narrows the rows), with the open transfer if any.
 */
const OVERDUE_TRANSFERS_SQL = `
  SELECT m.id AS "memberId", m.name AS "memberName", to_char(m.joined_at, 'YYYY-MM-DD') AS "joinedAt",
         m.institution_id AS "institutionId", i.name AS "institutionName", i.party_organization_id AS "organizationId",
         o.name AS "organizationName", p.id AS "processId", COUNT(*) OVER () AS total
    FROM party_members m
    JOIN institutions i ON i.id = m.institution_id
    JOIN organizations o ON o.id = i.party_organization_id
    LEFT JOIN processes p ON p.kind = 'relation-transfer' AND p.subject_key = 'member:' || m.id AND p.status = ANY($2::text[])
   WHERE m.category = 'STAFF' AND m.joined_at < $1::date AND m.relation_org_id IS DISTINCT FROM i.party_organization_id
   ORDER BY m.joined_at ASC, m.id ASC
   LIMIT ${MAX_ROWS}`;

/**
 * R9/R15: dispatches in post whose latest assessed week ends a streak of missed weeks (exempt weeks carry it), with
 * the escalations that streak made (keyed by its first week).
 */
const SHORT_DISPATCHES_SQL = `
  SELECT d.id AS "dispatchId", d.role, d.person_name AS "personName", d.person_user_id AS "personUserId",
         d.institution_id AS "institutionId", i.name AS "institutionName",
         d.dispatching_org_id AS "dispatchingOrgId", o.name AS "dispatchingOrgName", d.process_id AS "processId",
         w.week AS "lastWeek", w.status AS "lastWeekStatus", w.consecutive_missed AS "consecutiveMissed", w.streak_start AS "streakStart",
         EXISTS (SELECT 1 FROM dispatch_alerts a WHERE a.dispatch_id = d.id AND a.kind = 'ESCALATE_DISPATCHER' AND a.alert_key = w.streak_start) AS "escalatedToDispatcher",
         EXISTS (SELECT 1 FROM dispatch_alerts a WHERE a.dispatch_id = d.id AND a.kind = 'ESCALATE_PARENT' AND a.alert_key = w.streak_start) AS "escalatedToParent",
         COUNT(*) OVER () AS total
    FROM dispatches d
    JOIN institutions i ON i.id = d.institution_id
    JOIN organizations o ON o.id = d.dispatching_org_id
    JOIN LATERAL (SELECT * FROM duty_weeks dw WHERE dw.dispatch_id = d.id ORDER BY dw.week_start DESC LIMIT 1) w ON true
   WHERE d.status = 'ACTIVE' AND w.consecutive_missed > 0
   ORDER BY w.consecutive_missed DESC, d.id ASC
   LIMIT ${MAX_ROWS}`;

const STUCK_ACTIVITIES_SQL = `
  SELECT workflow_id AS "workflowId", activity_type AS "activityType", attempt, last_error AS "lastError",
         first_seen_at AS "firstSeenAt", updated_at AS "updatedAt", COUNT(*) OVER () AS total
    FROM activity_alerts
   ORDER BY first_seen_at ASC, id ASC
   LIMIT ${MAX_ROWS}`;

type Row<T> = T & { total: string };

@Injectable()
export class OverdueService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly settings: SettingsService,
  ) {}

  async report(now = new Date()): Promise<OverdueReportDto> {
    const today = toCalendarDate(now);
    const policy = await this.settings.policy();
    const [taskRows, termRows, transferRows, activityRows, dispatchRows] = await Promise.all([
      this.ds.query(OVERDUE_TASKS_SQL, [now]) as Promise<Array<Row<Omit<OverdueTaskDto, 'overdueSeconds' | 'overdueText'>>>>,
      this.ds.query(EXPIRED_TERMS_SQL, [[...PARTY_ORG_KINDS], today, [...OPEN_PROCESS_STATUSES]]) as Promise<Array<Row<Omit<ExpiredTermDto, 'expiredDays'>>>>,
      this.ds.query(OVERDUE_TRANSFERS_SQL, [addDays(today, -policy.staffTransferDueDays), [...OPEN_PROCESS_STATUSES]]) as Promise<Array<Row<Omit<OverdueTransferDto, 'dueBy' | 'overdueDays'>>>>,
      this.ds.query(STUCK_ACTIVITIES_SQL) as Promise<Array<Row<StuckActivityDto>>>,
      this.ds.query(SHORT_DISPATCHES_SQL) as Promise<Array<Row<OverdueDispatchDto>>>,
    ]);
    const tasks = taskRows.map(({ total: _total, ...t }) => {
      const seconds = Math.floor((now.getTime() - new Date(t.dueAt).getTime()) / 1000);
      return { ...t, overdueSeconds: seconds, overdueText: overdueText(seconds) };
    });
    const terms = termRows.map(({ total: _total, ...o }) => ({ ...o, expiredDays: daysBetween(o.termEnd, today) }));
    const transfers = transferRows.flatMap(({ total: _total, ...t }) => {
      const dueBy = staffTransferDueBy(t, policy);
      return dueBy !== null && dueBy < today ? [{ ...t, dueBy, overdueDays: daysBetween(dueBy, today) }] : [];
    });
    return {
      generatedAt: now,
      asOf: today,
      counts: {
        tasks: Number(taskRows[0]?.total ?? 0),
        terms: Number(termRows[0]?.total ?? 0),
        transfers: Number(transferRows[0]?.total ?? 0),
        dispatches: Number(dispatchRows[0]?.total ?? 0),
        activities: Number(activityRows[0]?.total ?? 0),
      },
      tasks,
      terms,
      transfers,
      dispatches: dispatchRows.map(({ total: _total, ...d }) => d),
      activities: activityRows.map(({ total: _total, ...a }) => a),
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
