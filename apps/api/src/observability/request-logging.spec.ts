import { processIdOfWorkflow } from '@app/observability';
import { cookieValue } from '../admin/queue-board.service';
import { loggablePath } from './request-logging';

describe('what the operator views keep out of, and take from, a request', () => {
  it('masks an email-action token in a logged path, and nothing else', () => {
    expect(loggablePath('/api/v1/email-actions/abcDEF_123-x')).toBe('/api/v1/email-actions/:token');
    expect(loggablePath('/api/v1/email-actions/abc?x=1')).toBe('/api/v1/email-actions/:token?x=1');
    expect(loggablePath('/api/v1/tasks/5b2e/decision')).toBe('/api/v1/tasks/5b2e/decision');
  });

  it('reads one cookie from a Cookie header', () => {
    expect(cookieValue('a=1; epa_queue_board=tok.en.sig; b=2', 'epa_queue_board')).toBe('tok.en.sig');
    expect(cookieValue('xepa_queue_board=1', 'epa_queue_board')).toBeNull();
    expect(cookieValue('epa_queue_board=', 'epa_queue_board')).toBeNull();
    expect(cookieValue(undefined, 'epa_queue_board')).toBeNull();
  });

  it('finds the process in a process workflow id only', () => {
    const id = '0b6f1c1e-8a55-4c1e-9d55-1f2a3b4c5d6e';
    expect(processIdOfWorkflow(`establish-branch/${id}`)).toBe(id);
    expect(processIdOfWorkflow(`secretary-succession/${id}/x`)).toBeUndefined();
    expect(processIdOfWorkflow(undefined)).toBeUndefined();
  });
});
