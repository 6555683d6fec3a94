import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { AppLayout, RequireRole } from './layout/AppLayout';
import { LoginPage } from './pages/LoginPage';
import type { Role } from './api/types';

/**
 * Each page is its own chunk: the first load carries only the shell and the page it opens (route-level splitting).
 * The router's `lazy` loads the chunk before it renders the route (no Suspense fallback, which React holds for at
 * least 300 ms before showing what it waited for).
 */
const page = (load: () => Promise<{ default: ComponentType }>, role?: Role): Pick<RouteObject, 'lazy'> => ({
  lazy: async () => {
    const Page = (await load()).default;
    return { Component: role ? () => <RequireRole role={role}><Page /></RequireRole> : Page };
  },
});

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    path: '/',
    element: <AppLayout />,
    children: [
      { index: true, element: <Navigate to="/home" replace /> },
      { path: 'home', ...page(() => import('./pages/HomePage')) },
      { path: 'institutions', ...page(() => import('./pages/applicant/InstitutionsPage')) },
      { path: 'institutions/:id/members', ...page(() => import('./pages/applicant/MembersPage')) },
      { path: 'apply', ...page(() => import('./pages/applicant/ApplyPage')) },
      { path: 'apply/:kind', ...page(() => import('./pages/applicant/ApplyFormPage')) },
      { path: 'processes', ...page(() => import('./pages/ProcessesPage')) },
      { path: 'processes/:id', ...page(() => import('./pages/ProcessPage')) },
      { path: 'funds', ...page(() => import('./pages/FundsPage')) },
      { path: 'dispatches', ...page(() => import('./pages/DispatchesPage')) },
      { path: 'inbox', ...page(() => import('./pages/approver/InboxPage')) },
      { path: 'tasks/:id', ...page(() => import('./pages/approver/TaskPage')) },
      { path: 'delegations', ...page(() => import('./pages/approver/DelegationsPage'), 'APPROVER') },
      { path: 'admin', ...page(() => import('./pages/admin/DashboardPage'), 'ADMIN') },
      { path: 'admin/processes', ...page(() => import('./pages/admin/AdminProcessesPage'), 'ADMIN') },
      { path: 'admin/processes/:id', ...page(() => import('./pages/admin/AdminProcessPage'), 'ADMIN') },
      { path: 'admin/coverage', ...page(() => import('./pages/admin/CoveragePage'), 'ADMIN') },
      { path: 'admin/registry', ...page(() => import('./pages/admin/RegistryPage'), 'ADMIN') },
      { path: 'admin/imports', ...page(() => import('./pages/admin/ImportsPage'), 'ADMIN') },
      { path: 'admin/settings', ...page(() => import('./pages/admin/SettingsPage'), 'ADMIN') },
      { path: '*', ...page(() => import('./pages/NotFoundPage')) },
    ],
  },
]);
