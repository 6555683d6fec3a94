import { useState, type ReactNode } from 'react';
import { Button, Drawer, Grid, Layout, Menu, Result, Space, Spin, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { MenuOutlined } from '@ant-design/icons';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { homeOf, useAuth } from '../auth';
import type { Me, Role } from '../api/types';
import { ROLE_NAMES } from '../format';

type Item = { key: string; label: string; roles: Role[] };

/** The navigation: each entry only for the roles it serves (admin entries never reach other users). */
const NAV: Array<{ group: string; roles: Role[]; items: Item[] }> = [
  {
    group: '机构申请',
    roles: ['APPLICANT'],
    items: [
      { key: '/institutions', label: '我的机构', roles: ['APPLICANT'] },
      { key: '/apply', label: '发起申请', roles: ['APPLICANT'] },
      { key: '/processes', label: '我的申请', roles: ['APPLICANT'] },
    ],
  },
  {
    group: '审批办理',
    roles: ['APPROVER'],
    items: [
      { key: '/inbox', label: '待办事项', roles: ['APPROVER'] },
      { key: '/delegations', label: '委托设置', roles: ['APPROVER'] },
    ],
  },
  {
    group: '经费与选派',
    roles: ['APPLICANT', 'APPROVER', 'ADMIN'],
    items: [
      { key: '/funds', label: '经费与补贴', roles: ['APPLICANT', 'APPROVER', 'ADMIN'] },
      { key: '/dispatches', label: '选派与驻点', roles: ['APPLICANT', 'APPROVER', 'ADMIN'] },
    ],
  },
  {
    group: '系统管理',
    roles: ['ADMIN'],
    items: [
      { key: '/admin', label: '运行概况', roles: ['ADMIN'] },
      { key: '/admin/processes', label: '流程监控', roles: ['ADMIN'] },
      { key: '/admin/coverage', label: '覆盖率统计', roles: ['ADMIN'] },
      { key: '/admin/registry', label: '组织与人员', roles: ['ADMIN'] },
      { key: '/admin/imports', label: '数据导入', roles: ['ADMIN'] },
      { key: '/admin/settings', label: '政策与日历设置', roles: ['ADMIN'] },
    ],
  },
];

function menuItems(me: Me): MenuProps['items'] {
  return NAV.filter((g) => g.roles.some((r) => me.roles.includes(r))).map((g) => ({
    type: 'group' as const,
    key: g.group,
    label: g.group,
    children: g.items.filter((i) => i.roles.some((r) => me.roles.includes(r))).map((i) => ({ key: i.key, label: i.label })),
  }));
}

/** The selected entry: the longest menu path the location starts with. */
function selectedKey(pathname: string): string {
  const keys = NAV.flatMap((g) => g.items.map((i) => i.key)).filter((k) => pathname === k || pathname.startsWith(`${k}/`));
  if (pathname.startsWith('/tasks/')) return '/inbox';
  return keys.sort((a, b) => b.length - a.length)[0] ?? '';
}

export function AppLayout() {
  const { me, ready, logout } = useAuth();
  const screens = Grid.useBreakpoint();
  const location = useLocation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  if (!ready) return <Spin style={{ display: 'block', margin: 96 }} />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  // Phones (below md, 768 px) get the menu in a drawer; desktops keep it beside the page.
  const desktop = screens.md ?? true;
  const menu = (
    <Menu
      mode="inline"
      items={menuItems(me)}
      selectedKeys={[selectedKey(location.pathname)]}
      onClick={(e) => {
        setOpen(false);
        navigate(e.key);
      }}
      aria-label="主导航"
    />
  );
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {desktop && (
        <Layout.Sider width={200} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
          <div style={{ padding: '16px 16px 8px', fontWeight: 600, color: '#c41d1d' }}>养老机构党建审批</div>
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 12px', display: 'flex', alignItems: 'center', gap: 8, lineHeight: 'normal', borderBottom: '1px solid #f0f0f0' }}>
          {!desktop && <Button icon={<MenuOutlined />} aria-label="打开菜单" onClick={() => setOpen(true)} />}
          {!desktop && <span style={{ fontWeight: 600, color: '#c41d1d' }}>党建审批</span>}
          <Space style={{ marginLeft: 'auto' }} size="small">
            <Typography.Text data-testid="current-user" ellipsis style={{ maxWidth: desktop ? 320 : 140 }}>
              {me.displayName}
              {desktop ? `（${me.roles.map((r) => ROLE_NAMES[r]).join('、')}）` : ''}
            </Typography.Text>
            <Button size="small" onClick={() => void logout().then(() => navigate('/login'))}>
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: desktop ? 24 : 12 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
      {!desktop && (
        <Drawer open={open} onClose={() => setOpen(false)} placement="left" width={240} title="养老机构党建审批" styles={{ body: { padding: 0 } }}>
          {menu}
        </Drawer>
      )}
    </Layout>
  );
}

/** A page for one role only: others are told so (the API refuses them with 403 anyway). */
export function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { me } = useAuth();
  if (!me?.roles.includes(role)) return <Result status="403" title="无权访问" subTitle={`该页面仅限${ROLE_NAMES[role]}使用`} />;
  return <>{children}</>;
}

export { homeOf };
