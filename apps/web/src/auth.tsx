import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { get, post, session, setUnauthorizedHandler } from './api/client';
import type { Me, Role } from './api/types';

interface AuthState {
  me: Me | null;
  /** False until the stored token was checked (or there was none). */
  ready: boolean;
  login(username: string, password: string): Promise<Me>;
  logout(): Promise<void>;
  has(role: Role): boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      session.clear();
      setMe(null);
    });
    if (!session.token()) {
      setReady(true);
      return;
    }
    get<Me>('/auth/me')
      .then(setMe, () => session.clear())
      .finally(() => setReady(true));
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const res = await post<{ accessToken: string; user: Me }>('/auth/login', { username, password });
    session.set(res.accessToken);
    const current = await get<Me>('/auth/me');
    setMe(current);
    return current;
  }, []);

  const logout = useCallback(async () => {
    await post('/auth/logout').catch(() => undefined);
    session.clear();
    setMe(null);
  }, []);

  const value = useMemo<AuthState>(() => ({ me, ready, login, logout, has: (r) => me?.roles.includes(r) ?? false }), [me, ready, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** Where a user starts: admins on the dashboard, approvers in the inbox, applicants with their institutions. */
export function homeOf(me: Me): string {
  if (me.roles.includes('ADMIN')) return '/admin';
  if (me.roles.includes('APPROVER')) return '/inbox';
  return '/institutions';
}
