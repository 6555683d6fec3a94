/**
 * The approval kernel's modes and actions, on the Temporal dev server (Updates are not time-skipped) with the
 * worker's real activities and database. Each case starts a test process over the kernel and drives it with the
 * same Updates the API sends.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { addSignerUpdate, pullBackUpdate, resubmitUpdate, stateQuery, transferUpdate, urgeUpdate, withdrawUpdate } from '@app/contracts';
import type { StepSpec } from '../workflows/kernel/approval-kernel';
import { decide, refusal, startKernelHarness, step, type KernelHarness, type Org, type TaskRow } from './support/kernel-harness';
import { waitFor } from './support/net';

let h: KernelHarness;
let ds: DataSource;
let parent: Org;
let A: Org;
let B: Org;
let C: Org;
let lonely: string; // an organisation without approvers, under `parent`
let applicant: string;

const org = (name: string, parentId: string | null, withApprover = true): Promise<Org> => h.org(name, parentId, withApprover);
const start = (steps: StepSpec[], applicantId = applicant): Promise<{ processId: string; handle: WorkflowHandle }> => h.start(steps, applicantId);
const tasks = (processId: string, status?: string): Promise<TaskRow[]> => h.tasks(processId, status);
const openTasks = (processId: string, n: number): Promise<TaskRow[]> => h.openTasks(processId, n);

beforeAll(async () => {
  h = await startKernelHarness('kernel_workflows');
  ds = h.ds;
  parent = await org('上级党委', null);
  A = await org('甲党委', parent.id);
  B = await org('乙党委', parent.id);
  C = await org('丙党委', parent.id);
  lonely = (await org('无人党委', parent.id, false)).id;
  applicant = await h.user('申请人', [], '{APPLICANT}');
});

afterAll(async () => {
  await h?.stop();
});

describe('approval kernel modes', () => {
  it('SINGLE: one candidate decides', async () => {
    const { processId, handle } = await start([step('SINGLE', [A.id])]);
    const [t] = await openTasks(processId, 1);
    expect(t!.candidate_org_id).toBe(A.id);
    expect(await refusal(decide(handle, t!, B, 'APPROVE'))).toBe('NotCandidate');
    await decide(handle, t!, A, 'APPROVE');
    expect((await handle.result()).state.status).toBe('APPROVED');
  });

  it('ALL (会签): every organisation approves in parallel, and one REJECT decides', async () => {
    const ok = await start([step('ALL', [A.id, B.id, C.id])]);
    const open = await openTasks(ok.processId, 3);
    await decide(ok.handle, open[0]!, A, 'APPROVE');
    await decide(ok.handle, open[1]!, B, 'APPROVE');
    expect((await ok.handle.query(stateQuery)).status).toBe('RUNNING');
    await decide(ok.handle, open[2]!, C, 'APPROVE');
    expect((await ok.handle.result()).state.status).toBe('APPROVED');

    const no = await start([step('ALL', [A.id, B.id, C.id])]);
    const t = await openTasks(no.processId, 3);
    await decide(no.handle, t[0]!, A, 'APPROVE');
    await decide(no.handle, t[1]!, B, 'REJECT');
    expect((await no.handle.result()).state.status).toBe('REJECTED');
    expect((await tasks(no.processId)).map((r) => r.status)).toEqual(['COMPLETED', 'COMPLETED', 'CANCELLED']);
  });

  it('ANY (或签): the first approval decides and the other tasks close', async () => {
    const { processId, handle } = await start([step('ANY', [A.id, B.id])]);
    const t = await openTasks(processId, 2);
    await decide(handle, t[1]!, B, 'APPROVE');
    expect((await handle.result()).state.status).toBe('APPROVED');
    expect((await tasks(processId)).map((r) => r.status)).toEqual(['CANCELLED', 'COMPLETED']);
  });

  it('SEQUENTIAL (依次): one after another, and 取回 takes a decision back while the next has not acted', async () => {
    const { processId, handle } = await start([step('SEQUENTIAL', [A.id, B.id])]);
    const [ta] = await openTasks(processId, 1);
    expect(ta!.candidate_org_id).toBe(A.id);
    await decide(handle, ta!, A, 'APPROVE');
    const [tb] = await openTasks(processId, 1);
    expect(tb!.candidate_org_id).toBe(B.id);
    // Only the decider may pull back.
    expect(await refusal(handle.executeUpdate(pullBackUpdate, { args: [{ taskId: ta!.id, actorId: B.approver, actorOrgIds: [B.id], comment: '不是我的' }] }))).toBe('NotPullable');
    await handle.executeUpdate(pullBackUpdate, { args: [{ taskId: ta!.id, actorId: A.approver, actorOrgIds: [A.id], comment: '补充意见' }] });
    const [again] = await openTasks(processId, 1);
    expect(again!.candidate_org_id).toBe(A.id);
    expect((await tasks(processId)).find((r) => r.id === tb!.id)!.status).toBe('CANCELLED');
    await decide(handle, again!, A, 'APPROVE');
    const [tb2] = await openTasks(processId, 1);
    await decide(handle, tb2!, B, 'APPROVE');
    // Once the last approver acted there is nothing to pull back.
    expect((await handle.result()).state.status).toBe('APPROVED');
  });
});

describe('approval kernel actions', () => {
  it('RETURN to the applicant, then resubmit; RETURN to an earlier step', async () => {
    const { processId, handle } = await start([step('SINGLE', [A.id], 'first'), step('SINGLE', [B.id], 'second')]);
    let [t] = await openTasks(processId, 1);
    // Only a RETURN names a target, and only the applicant or a step that ran before this one.
    expect(await refusal(decide(handle, t!, A, 'RETURN', { returnTo: 'second' }))).toBe('InvalidDecision');
    expect(await refusal(decide(handle, t!, A, 'RETURN', { returnTo: 'first' }))).toBe('InvalidDecision');
    expect(await refusal(decide(handle, t!, A, 'APPROVE', { returnTo: 'APPLICANT' }))).toBe('InvalidDecision');
    await decide(handle, t!, A, 'RETURN');
    await waitFor('returned', async () => (await handle.query(stateQuery)).status === 'RETURNED');
    expect(await refusal(handle.executeUpdate(urgeUpdate, { args: [{ actorId: applicant, actorOrgIds: [] }] }))).toBe('ProcessClosed');
    await handle.executeUpdate(resubmitUpdate, { args: [{ actorId: applicant, payload: { name: '修改后' } }] });
    [t] = await openTasks(processId, 1);
    expect(t!.candidate_org_id).toBe(A.id);
    await decide(handle, t!, A, 'APPROVE');
    [t] = await openTasks(processId, 1);
    expect(t!.candidate_org_id).toBe(B.id);
    await decide(handle, t!, B, 'RETURN', { returnTo: 'first' });
    [t] = await openTasks(processId, 1);
    expect(t!.candidate_org_id).toBe(A.id);
    await decide(handle, t!, A, 'APPROVE');
    [t] = await openTasks(processId, 1);
    await decide(handle, t!, B, 'APPROVE');
    const result = await handle.result();
    expect(result.trail).toEqual(['first:RETURN', 'resubmitted', 'first:APPROVE', 'second:RETURN', 'first:APPROVE', 'second:APPROVE']);
    const [{ payload }] = await ds.query(`SELECT payload FROM processes WHERE id = $1`, [processId]);
    expect(payload.name).toBe('修改后');
  });

  it('withdraw before a decision; refused once the process has its outcome', async () => {
    const w = await start([step('SINGLE', [A.id])]);
    await openTasks(w.processId, 1);
    const state = await w.handle.executeUpdate(withdrawUpdate, { args: [{ actorId: applicant, reason: '不再需要' }] });
    expect(state.status).toBe('WITHDRAWN');
    expect((await tasks(w.processId)).map((r) => r.status)).toEqual(['CANCELLED']);

    const d = await start([step('SINGLE', [A.id])]);
    const [t] = await openTasks(d.processId, 1);
    await decide(d.handle, t!, A, 'REJECT');
    await d.handle.result();
    await expect(d.handle.executeUpdate(withdrawUpdate, { args: [{ actorId: applicant, reason: '晚了' }] })).rejects.toThrow();
  });

  it('transfer (转交) hands the task to one person; the organisation can no longer act on it', async () => {
    const [colleague] = await ds.query(`INSERT INTO users (username, password_hash, display_name, email, roles, organization_ids) VALUES ($1, 'x', '同事', 'c@example.test', '{APPROVER}', $2) RETURNING id`, [
      `c-${randomUUID()}`,
      [A.id],
    ]);
    const { processId, handle } = await start([step('SINGLE', [A.id])]);
    const [t] = await openTasks(processId, 1);
    await handle.executeUpdate(transferUpdate, { args: [{ taskId: t!.id, toUserId: colleague.id, comment: '请你办理', kind: 'TRANSFER', actorId: A.approver, actorOrgIds: [A.id] }] });
    expect((await tasks(processId))[0]!.assignee_id).toBe(colleague.id);
    expect(await refusal(decide(handle, t!, A, 'APPROVE'))).toBe('NotCandidate');
    await decide(handle, t!, A, 'APPROVE', { actorId: colleague.id });
    expect((await handle.result()).state.status).toBe('APPROVED');
  });

  it('委托: a deputy acts on a task assigned to the person they stand in for; nobody else may', async () => {
    // Organisations of its own: the other cases count the approvers of A, B and C.
    const A = await org('丁党委', parent.id);
    const [holder, deputy] = await ds.query(
      `INSERT INTO users (username, password_hash, display_name, email, roles, organization_ids) VALUES
         ($1, 'x', '承办人', 'h@example.test', '{APPROVER}', $3), ($2, 'x', '代理人', 'd@example.test', '{APPROVER}', '{}') RETURNING id`,
      [`h-${randomUUID()}`, `d-${randomUUID()}`, [A.id]],
    );
    const { processId, handle } = await start([step('SINGLE', [A.id])]);
    const [t] = await openTasks(processId, 1);
    await handle.executeUpdate(transferUpdate, { args: [{ taskId: t!.id, toUserId: holder.id, comment: '请你办理', kind: 'TRANSFER', actorId: A.approver, actorOrgIds: [A.id] }] });
    // Standing in for someone else, or for nobody, is not enough.
    expect(await refusal(decide(handle, t!, A, 'APPROVE', { actorId: deputy.id, actorOrgIds: [], actsForUserIds: [A.approver] }))).toBe('NotCandidate');
    expect(await refusal(decide(handle, t!, A, 'APPROVE', { actorId: deputy.id, actorOrgIds: [A.id] }))).toBe('NotCandidate');
    await decide(handle, t!, A, 'APPROVE', { actorId: deputy.id, actorOrgIds: [], actsForUserIds: [holder.id], onBehalfOfId: holder.id });
    expect((await handle.result()).state.status).toBe('APPROVED');
    const [ev] = await ds.query(`SELECT actor_id, on_behalf_of_id FROM process_events WHERE process_id = $1 AND action = 'APPROVE'`, [processId]);
    expect(ev).toEqual({ actor_id: deputy.id, on_behalf_of_id: holder.id });
  });

  it('前加签 and 取回: the reopened task goes back to the person who held it, not to the whole organisation', async () => {
    const A = await org('戊党委', parent.id);
    const B = await org('己党委', parent.id);
    const [a2, b2] = await ds.query(
      `INSERT INTO users (username, password_hash, display_name, email, roles, organization_ids) VALUES
         ($1, 'x', '甲二', 'a2@example.test', '{APPROVER}', $3), ($2, 'x', '乙二', 'b2@example.test', '{APPROVER}', $4) RETURNING id`,
      [`a2-${randomUUID()}`, `b2-${randomUUID()}`, [A.id], [B.id]],
    );
    // 前加签 by the holder: C signs first, then the task comes back to a2 alone.
    const before = await start([step('SINGLE', [A.id])]);
    const [t1] = await openTasks(before.processId, 1);
    await before.handle.executeUpdate(transferUpdate, { args: [{ taskId: t1!.id, toUserId: a2.id, comment: '请甲二办理', kind: 'TRANSFER', actorId: A.approver, actorOrgIds: [A.id] }] });
    await before.handle.executeUpdate(addSignerUpdate, { args: [{ taskId: t1!.id, orgId: C.id, position: 'BEFORE', comment: '先请丙把关', actorId: a2.id, actorOrgIds: [A.id] }] });
    const [tc] = await openTasks(before.processId, 1);
    await decide(before.handle, tc!, C, 'APPROVE');
    const [back] = await openTasks(before.processId, 1);
    expect(back).toMatchObject({ candidate_org_id: A.id, assignee_id: a2.id });
    expect(await refusal(decide(before.handle, back!, A, 'APPROVE'))).toBe('NotCandidate');
    await decide(before.handle, back!, A, 'APPROVE', { actorId: a2.id });
    expect((await before.handle.result()).state.status).toBe('APPROVED');

    // 取回: the decider gets a fresh task of their own; B's task, held by b2, goes back to b2 afterwards.
    const seq = await start([step('SEQUENTIAL', [A.id, B.id])]);
    const [ta] = await openTasks(seq.processId, 1);
    await decide(seq.handle, ta!, A, 'APPROVE');
    const [tb] = await openTasks(seq.processId, 1);
    await seq.handle.executeUpdate(transferUpdate, { args: [{ taskId: tb!.id, toUserId: b2.id, comment: '请乙二办理', kind: 'TRANSFER', actorId: B.approver, actorOrgIds: [B.id] }] });
    await seq.handle.executeUpdate(pullBackUpdate, { args: [{ taskId: ta!.id, actorId: A.approver, actorOrgIds: [A.id], comment: '补充意见' }] });
    const [again] = await openTasks(seq.processId, 1);
    expect(again).toMatchObject({ candidate_org_id: A.id, assignee_id: A.approver });
    expect(await refusal(decide(seq.handle, again!, A, 'APPROVE', { actorId: a2.id }))).toBe('NotCandidate');
    await decide(seq.handle, again!, A, 'APPROVE');
    const [tb2] = await openTasks(seq.processId, 1);
    expect(tb2).toMatchObject({ candidate_org_id: B.id, assignee_id: b2.id });
    await decide(seq.handle, tb2!, B, 'APPROVE', { actorId: b2.id });
    expect((await seq.handle.result()).state.status).toBe('APPROVED');
  });

  it('a former holder who is no longer an active approver of the organisation does not get the reopened task: it goes to the organisation', async () => {
    const A = await org('庚党委', parent.id);
    const [a3] = await ds.query(`INSERT INTO users (username, password_hash, display_name, email, roles, organization_ids) VALUES ($1, 'x', '甲三', 'a3@example.test', '{APPROVER}', $2) RETURNING id`, [
      `a3-${randomUUID()}`,
      [A.id],
    ]);
    const { processId, handle } = await start([step('SINGLE', [A.id])]);
    const [t1] = await openTasks(processId, 1);
    await handle.executeUpdate(transferUpdate, { args: [{ taskId: t1!.id, toUserId: a3.id, comment: '请甲三办理', kind: 'TRANSFER', actorId: A.approver, actorOrgIds: [A.id] }] });
    await handle.executeUpdate(addSignerUpdate, { args: [{ taskId: t1!.id, orgId: C.id, position: 'BEFORE', comment: '先请丙把关', actorId: a3.id, actorOrgIds: [A.id] }] });
    const [tc] = await openTasks(processId, 1);
    await ds.query(`UPDATE users SET active = false WHERE id = $1`, [a3.id]);
    await decide(handle, tc!, C, 'APPROVE');
    const [back] = await openTasks(processId, 1);
    expect(back).toMatchObject({ candidate_org_id: A.id, assignee_id: null });
    await decide(handle, back!, A, 'APPROVE');
    expect((await handle.result()).state.status).toBe('APPROVED');

    // Still active, but no longer in the organisation: the same.
    const [a4] = await ds.query(`INSERT INTO users (username, password_hash, display_name, email, roles, organization_ids) VALUES ($1, 'x', '甲四', 'a4@example.test', '{APPROVER}', $2) RETURNING id`, [
      `a4-${randomUUID()}`,
      [A.id],
    ]);
    const second = await start([step('SINGLE', [A.id])]);
    const [s1] = await openTasks(second.processId, 1);
    await second.handle.executeUpdate(transferUpdate, { args: [{ taskId: s1!.id, toUserId: a4.id, comment: '请甲四办理', kind: 'TRANSFER', actorId: A.approver, actorOrgIds: [A.id] }] });
    await second.handle.executeUpdate(addSignerUpdate, { args: [{ taskId: s1!.id, orgId: C.id, position: 'BEFORE', comment: '先请丙把关', actorId: a4.id, actorOrgIds: [A.id] }] });
    const [s2] = await openTasks(second.processId, 1);
    await ds.query(`UPDATE users SET organization_ids = '{}' WHERE id = $1`, [a4.id]);
    await decide(second.handle, s2!, C, 'APPROVE');
    const [s3] = await openTasks(second.processId, 1);
    expect(s3).toMatchObject({ candidate_org_id: A.id, assignee_id: null });
    await second.handle.terminate('done');
  });

  it('加签 after and before', async () => {
    const after = await start([step('SINGLE', [A.id])]);
    const [t1] = await openTasks(after.processId, 1);
    await after.handle.executeUpdate(addSignerUpdate, { args: [{ taskId: t1!.id, orgId: C.id, position: 'AFTER', comment: '请丙会签', actorId: A.approver, actorOrgIds: [A.id] }] });
    await decide(after.handle, t1!, A, 'APPROVE');
    const [t2] = await openTasks(after.processId, 1);
    expect(t2!.candidate_org_id).toBe(C.id);
    await decide(after.handle, t2!, C, 'APPROVE');
    expect((await after.handle.result()).state.status).toBe('APPROVED');

    const before = await start([step('SINGLE', [A.id])]);
    const [b1] = await openTasks(before.processId, 1);
    await before.handle.executeUpdate(addSignerUpdate, { args: [{ taskId: b1!.id, orgId: C.id, position: 'BEFORE', comment: '先请丙把关', actorId: A.approver, actorOrgIds: [A.id] }] });
    const [b2] = await openTasks(before.processId, 1);
    expect(b2!.candidate_org_id).toBe(C.id);
    await decide(before.handle, b2!, C, 'APPROVE');
    const [b3] = await openTasks(before.processId, 1);
    expect(b3!.candidate_org_id).toBe(A.id);
    await decide(before.handle, b3!, A, 'APPROVE');
    expect((await before.handle.result()).state.status).toBe('APPROVED');
    expect((await tasks(before.processId)).map((r) => r.status)).toEqual(['CANCELLED', 'COMPLETED', 'COMPLETED']);
  });

  it('加签: several signers added after one task sign in the order added; none on a parallel step or twice', async () => {
    const { processId, handle } = await start([step('SINGLE', [A.id])]);
    const [t1] = await openTasks(processId, 1);
    const add = (orgId: string): Promise<unknown> =>
      handle.executeUpdate(addSignerUpdate, { args: [{ taskId: t1!.id, orgId, position: 'AFTER', comment: '加签', actorId: A.approver, actorOrgIds: [A.id] }] });
    await add(B.id);
    await add(C.id);
    expect(await refusal(add(B.id))).toBe('InvalidDecision');
    await decide(handle, t1!, A, 'APPROVE');
    const [t2] = await openTasks(processId, 1);
    expect(t2!.candidate_org_id).toBe(B.id);
    await decide(handle, t2!, B, 'APPROVE');
    const [t3] = await openTasks(processId, 1);
    expect(t3!.candidate_org_id).toBe(C.id);
    await decide(handle, t3!, C, 'APPROVE');
    expect((await handle.result()).state.status).toBe('APPROVED');

    const parallel = await start([step('ALL', [A.id, B.id])]);
    const [p1] = await openTasks(parallel.processId, 2);
    expect(await refusal(parallel.handle.executeUpdate(addSignerUpdate, { args: [{ taskId: p1!.id, orgId: C.id, position: 'AFTER', comment: '加签', actorId: A.approver, actorOrgIds: [A.id] }] }))).toBe('InvalidDecision');
    await parallel.handle.terminate('done');
  });

  it('urge (催办) at most once a day', async () => {
    const { processId, handle } = await start([step('SINGLE', [A.id])]);
    await openTasks(processId, 1);
    await handle.executeUpdate(urgeUpdate, { args: [{ actorId: applicant, actorOrgIds: [] }] });
    expect(await refusal(handle.executeUpdate(urgeUpdate, { args: [{ actorId: applicant, actorOrgIds: [] }] }))).toBe('UrgeLimit');
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM process_events WHERE process_id = $1 AND action = 'URGED'`, [processId]);
    expect(n).toBe(1);
    await handle.terminate('done');
  });

  it('no candidate: an organisation without approvers hands the step to its parent', async () => {
    const { processId, handle } = await start([step('SINGLE', [lonely])]);
    const [t] = await openTasks(processId, 1);
    expect(t!.candidate_org_id).toBe(parent.id);
    const events = await ds.query(`SELECT action, data FROM process_events WHERE process_id = $1 AND action = 'NO_CANDIDATE_ESCALATED'`, [processId]);
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ requestedOrgId: lonely, orgId: parent.id });
    await decide(handle, t!, parent, 'APPROVE');
    expect((await handle.result()).state.status).toBe('APPROVED');
  });

  it('self-approval: the applicant never decides their own request; alone in the organisation, the step goes up', async () => {
    // B's approver applies: B has no other approver, so the step goes to B's parent.
    const alone = await start([step('SINGLE', [B.id])], B.approver);
    const [t] = await openTasks(alone.processId, 1);
    expect(t!.candidate_org_id).toBe(parent.id);
    await alone.handle.terminate('done');

    // A second approver in C: the applicant (C's first approver) is refused, the colleague decides.
    const [other] = await ds.query(`INSERT INTO users (username, password_hash, display_name, email, roles, organization_ids) VALUES ($1, 'x', '丙二', 'c2@example.test', '{APPROVER}', $2) RETURNING id`, [
      `c2-${randomUUID()}`,
      [C.id],
    ]);
    const withColleague = await start([step('SINGLE', [C.id])], C.approver);
    const [tc] = await openTasks(withColleague.processId, 1);
    expect(tc!.candidate_org_id).toBe(C.id);
    expect(await refusal(decide(withColleague.handle, tc!, C, 'APPROVE'))).toBe('NotCandidate');
    await decide(withColleague.handle, tc!, C, 'APPROVE', { actorId: other.id });
    expect((await withColleague.handle.result()).state.status).toBe('APPROVED');
  });
});
