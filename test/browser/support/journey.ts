/**
 * The approval journey of any process kind, driven through the web application and generic over the kind: its form
 * is filled from the JSON Schema GET /process-kinds serves (the same schema the application draws), every step is
 * decided on the task page (its typed data filled the same way), the first decision a RETURN with a comment.
 */
import type { Client } from 'pg';
import type { Page } from 'playwright-core';
import type { Http } from '../../support/http';
import type { JsonSchema, ProcessKindInfo } from '../../../apps/web/src/api/types';
import { makeUser, shanghaiDate, type World } from '../../support/fixtures';

/** The shapes GET /process-kinds serves, as the web application types them. */
export type { JsonSchema } from '../../../apps/web/src/api/types';
export type KindInfo = ProcessKindInfo;

/** The Chinese part of a title `name（支部名称）`, as the form labels its field. */
export const labelOf = (key: string, s: JsonSchema): string => {
  const t = s.title ?? s.items?.title;
  return t ? /（(.+)）\s*$/.exec(t)?.[1] ?? t : key;
};

/** Picks options of an antd Select found by its label. */
export async function pick(page: Page, label: string, option: string | RegExp, count = 1): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  const field = input.locator('xpath=ancestor::div[contains(concat(" ", @class, " "), " ant-select ")][1]');
  const chosen = field.locator('.ant-select-selection-item');
  const before = await chosen.count();
  // What the field shows: its value (or its placeholder, before one is chosen).
  const shown = async (): Promise<string> => (await field.innerText()).trim();
  const was = await shown();
  // Done when the field shows the new choice(s): one more tag each for a multiple choice, another value for a single.
  const done = async (): Promise<boolean> => (count > 1 ? (await chosen.count()) - before >= count : (await shown()) !== was);
  for (let attempt = 1; ; attempt++) {
    // A dropdown still closing (a loaded machine animates slowly) would be taken for this one's: wait until none is open.
    await page.waitForFunction(`document.querySelectorAll('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').length === 0`, null, { timeout: 10_000 }).catch(() => undefined);
    await input.click();
    // A long list renders only the options in view: search for a named one, as a person would.
    if (typeof option === 'string' && count === 1 && (await input.isEditable())) await input.fill(option);
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
    const options = dropdown.locator('.ant-select-item-option:not(.ant-select-item-option-selected)', { hasText: option });
    await options.first().waitFor();
    for (let i = count > 1 ? (await chosen.count()) - before : 0; i < count; i++) await options.first().click();
    if (count > 1 || (await dropdown.isVisible())) await page.keyboard.press('Escape');
    // As a person would: look whether the choice shows in the field, and choose again when a click went astray
    // (on a loaded machine a click can land while the list is still moving into place).
    if (await done()) return;
    if (attempt === 3) throw new Error(`${label}: the choice did not take after ${attempt} tries (the field shows ${JSON.stringify(await shown())})`);
  }
}

/** What a generic filler knows of the world: whose members, which institution(s), which member and organisation. */
export interface Facts {
  institutionName: string;
  fullMembers: number;
  /** The units of a form that names several institutions (default: the institution). */
  institutionNames?: string[];
  /** The member a single-member field picks (default: the first FULL member). */
  memberName?: string;
  /** The organisation an organisation field picks (default: the first). */
  organizationName?: string;
  /** What a month field gets (YYYY-MM; default: this month). */
  month?: string;
  /** The option an enum field picks, by field name (default: the first). */
  choices?: Record<string, string>;
  /** What a date field gets, by field name (default: today). */
  dates?: Record<string, string>;
}

/** Fills the required fields of a schema-drawn form (and the members of a member list). */
export async function fillSchemaForm(page: Page, schema: JsonSchema, facts: Facts, skip: string[] = []): Promise<void> {
  const required = new Set(schema.required ?? []);
  for (const [key, raw] of Object.entries(schema.properties ?? {})) {
    const s = raw.anyOf?.find((x) => x.type) ?? raw;
    if (!required.has(key) || skip.includes(key)) continue;
    const label = labelOf(key, s);
    const uuid = (x?: JsonSchema) => x?.type === 'string' && x.format === 'uuid';
    if (s.type === 'array' && uuid(s.items) && /memberIds$/i.test(key)) await pick(page, label, '正式党员', facts.fullMembers);
    else if (s.type === 'array' && uuid(s.items) && /institutionIds$/i.test(key)) for (const name of facts.institutionNames ?? [facts.institutionName]) await pick(page, label, name);
    else if (uuid(s) && /institutionId$/i.test(key)) await pick(page, label, facts.institutionName);
    else if (uuid(s) && /memberId$/i.test(key)) await pick(page, label, facts.memberName ?? '正式党员');
    else if (uuid(s) && /(organization|org)Id$/i.test(key)) await pick(page, label, facts.organizationName ?? /./);
    else if (uuid(s) || (s.type === 'array' && uuid(s.items))) await pick(page, label, /./);
    else if (s.enum) await pick(page, label, facts.choices?.[key] ?? /./);
    else if (s.type === 'string' && s.format === 'date') {
      await page.getByLabel(label, { exact: true }).fill(facts.dates?.[key] ?? shanghaiDate());
      await page.keyboard.press('Enter');
    } else if (s.type === 'string' && /month$/i.test(key)) {
      await page.getByLabel(label, { exact: true }).fill(facts.month ?? shanghaiDate().slice(0, 7));
      await page.keyboard.press('Enter');
    } else if ((s.type === 'integer' || s.type === 'number') && /^year$/i.test(key)) await page.getByLabel(label, { exact: true }).fill(shanghaiDate().slice(0, 4));
    else if (s.type === 'integer' || s.type === 'number') await page.getByLabel(label, { exact: true }).fill(String(/Fen$/.test(key) ? 100 : Math.max(1, s.minimum ?? 1)));
    else if (s.type === 'string') await page.getByLabel(label, { exact: true }).fill(`测试${key}`.padEnd(Math.max(2, s.minLength ?? 2), '测'));
    else if (s.type === 'array' && s.items?.type === 'object') {
      await page.getByRole('button', { name: `添加${label}` }).click();
      await fillSchemaForm(page, s.items, facts);
    }
  }
}

/** The process's next open task (null once the process closed), read from the database the system writes. */
export async function nextOpenTask(db: Client, processId: string, timeoutMs = 30_000): Promise<{ id: string; step: string; candidateOrgId: string | null; candidateInstitutionId: string | null } | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(
      `SELECT t.id, t.step, t.candidate_org_id AS "candidateOrgId", t.candidate_institution_id AS "candidateInstitutionId", p.closed_at AS "closedAt"
         FROM processes p LEFT JOIN tasks t ON t.process_id = p.id AND t.status = 'OPEN' WHERE p.id = $1 ORDER BY t.created_at LIMIT 1`,
      [processId],
    );
    if (rows[0]?.closedAt) return null;
    if (rows[0]?.id) return rows[0];
    if (Date.now() > deadline) throw new Error(`no open task for ${processId}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Someone who may decide the task: the world's approver for its organisation, else a new approver of it (an applicant of the institution, for a unit's consent). */
export async function deciderFor(admin: Http, world: World, task: { candidateOrgId: string | null; candidateInstitutionId: string | null }): Promise<{ username: string; password: string }> {
  if (task.candidateOrgId === world.builder.id) return { username: world.approverUser.username, password: 'secret-password' };
  const u = task.candidateInstitutionId
    ? await makeUser(admin, 'unit', ['APPLICANT'], [], [task.candidateInstitutionId])
    : await makeUser(admin, 'decider', ['APPROVER'], task.candidateOrgId ? [task.candidateOrgId] : []);
  return { username: u.user.username, password: 'secret-password' };
}

/** Decides a task on its page: the decision, a comment, and the step's data when it asks for some. */
export async function decideOnTaskPage(page: Page, taskId: string, decision: '同意' | '退回修改' | '不同意', comment: string, step: NonNullable<KindInfo['steps']>[number] | undefined, facts: Facts): Promise<void> {
  await page.goto(`/tasks/${taskId}`);
  const card = page.getByTestId('decision-card');
  await card.waitFor();
  await card.getByText(decision, { exact: true }).click();
  await card.getByLabel('审批意见').fill(comment);
  if (decision === '同意' && step?.dataSchema) await fillSchemaForm(page, step.dataSchema, facts);
  await card.getByTestId('submit-decision').click();
  await page
    .getByTestId('task-status')
    .getByText('已办结')
    .waitFor({ timeout: 60_000 })
    .catch(async (err: Error) => {
      // Say what the page says (a refusal beside a field, an alert) rather than only that it timed out.
      const shown = await page.locator('.ant-form-item-explain-error, .ant-alert, .ant-message-notice').allInnerTexts().catch(() => []);
      throw new Error(`${step?.id ?? 'task'} ${taskId}: ${err.message.split('\n')[0]}; the page shows: ${JSON.stringify(shown)}`);
    });
}
