import { prefetch, qs, session } from './api/client';

/** Rows on a page of the inbox: a phone screen's worth and more; a short first page keeps a long inbox quick to show. */
export const INBOX_PAGE = 20;

/** The inbox's open tasks, the earliest due first (the page and the warm start ask for the same path). */
export const openTasksPath = (kind?: string, cursor?: string | null): string => `/tasks${qs({ status: 'OPEN', sort: 'dueAt', kind, cursor, limit: INBOX_PAGE })}`;

/**
 * Before React renders, for a signed-in visitor: the account (which every page waits for) and, when the address
 * opens the inbox (an approver's home), its script and first page of tasks, all at once rather than one after
 * the other.
 */
export function warmStart(where: { pathname: string; search: string }): void {
  if (!session.token()) return;
  prefetch('/auth/me');
  if (where.pathname === '/inbox' && where.search === '') {
    prefetch(openTasksPath());
    void import('./pages/approver/InboxPage');
  }
}
