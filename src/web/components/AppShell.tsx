import {
  CheckSquareOutlined,
  AlertOutlined,
  ApartmentOutlined,
  NotificationOutlined,
  ProjectOutlined,
  AuditOutlined,
  BankOutlined,
  BookOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  DownOutlined,
  FlagOutlined,
  FileWordOutlined,
  FireOutlined,
  TrophyOutlined,
  HomeOutlined,
  IdcardOutlined,
  RadarChartOutlined,
  ReadOutlined,
  ScheduleOutlined,
  KeyOutlined,
  SafetyCertificateOutlined,
  SolutionOutlined,
  LogoutOutlined,
  MenuOutlined,
  ShopOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Drawer, Dropdown, Layout, Menu, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import type { Me } from '../../shared/contracts/users';
import { useIsPhone } from '../hooks';
import { useT } from '../i18n';
import type { Translate } from '../i18n';
import { cockpitPath } from '../pages/cockpit/access';
import { hasEnforcement } from '../pages/enforcement/access';
import { hasExperts } from '../pages/experts/access';
import { hasAgencies } from '../pages/agencies/access';
import { hasTips, isCustodian } from '../pages/tips/access';
import { hasFiveLeads, hasPlan, ownUnitPath } from '../pages/plan/access';
import { hasAccidents } from '../pages/accidents/access';
import { hasAssessment, seesAccountability } from '../pages/assessment/access';
import { hasRisks } from '../pages/risks/access';
import { hasCertificates } from '../pages/certificates/access';
import { hasCampaigns } from '../pages/campaigns/access';
import { hasTraining } from '../pages/training/access';
import { canImport } from '../pages/imports/model';
import { canReadMonthlyReport } from '../pages/reports/access';
import { useMe, useSession } from '../session';
import { PageLoading } from './Feedback';
import { LangSwitch } from './LangSwitch';
import { NotificationBell } from './NotificationBell';
import { RoleLabel } from './Tags';

// Loaded on demand: it brings the shared password rules (and zod) along.
const ChangePasswordModal = lazy(() => import('./ChangePassword').then((m) => ({ default: m.ChangePasswordModal })));

type MenuItem = NonNullable<MenuProps['items']>[number] & { key: string; children?: MenuItem[] };

/** The submenu holding the plan's pages (#18). */
const PLAN_GROUP = 'plan-group';

function menuItems(me: Me, t: Translate): MenuItem[] {
  // Home is one's cockpit where one has a cockpit.
  const cockpit = cockpitPath(me);
  // An enterprise's home is its workbench (自查、隐患、消息); its cockpit is one item further.
  const items: MenuItem[] =
    me.role === 'enterprise'
      ? [{ key: '/', icon: <HomeOutlined />, label: t('nav.workbench') }, ...(cockpit ? [{ key: cockpit, icon: <DashboardOutlined />, label: t('nav.cockpit') }] : [])]
      : [cockpit ? { key: cockpit, icon: <DashboardOutlined />, label: t('nav.cockpit') } : { key: '/', icon: <HomeOutlined />, label: t('nav.home') }];
  // The custodian of reporters' identities sees the tips and nothing of the ledger.
  if (isCustodian(me)) return [...items, { key: '/tips', icon: <NotificationOutlined />, label: t('nav.tips') }];
  items.push({ key: '/hazards', icon: <AlertOutlined />, label: t('nav.hazards') });
  if (me.role !== 'expert') items.push({ key: '/selfchecks', icon: <CheckSquareOutlined />, label: t('nav.selfchecks') });
  if (hasEnforcement(me)) items.push({ key: '/enforcement', icon: <SafetyCertificateOutlined />, label: t('nav.enforcement') });
  if (hasExperts(me)) items.push({ key: '/experts', icon: <SolutionOutlined />, label: t('nav.experts') });
  if (hasAgencies(me)) items.push({ key: '/agencies', icon: <ApartmentOutlined />, label: t('nav.agencies') });
  if (hasTips(me)) items.push({ key: '/tips', icon: <NotificationOutlined />, label: t('nav.tips') });
  if (hasRisks(me)) items.push({ key: '/risks', icon: <RadarChartOutlined />, label: t('nav.risks') });
  if (hasCertificates(me)) items.push({ key: '/certificates', icon: <IdcardOutlined />, label: t('nav.certificates') });
  if (hasCampaigns(me)) items.push({ key: '/campaigns', icon: <ScheduleOutlined />, label: t('nav.campaigns') });
  if (hasTraining(me)) items.push({ key: '/training', icon: <ReadOutlined />, label: t('nav.training') });
  if (hasAccidents(me)) items.push({ key: '/accidents', icon: <FireOutlined />, label: t('nav.accidents') });
  // An enterprise has only the accountability records against it.
  if (seesAccountability(me)) items.push({ key: '/assessment', icon: <TrophyOutlined />, label: t(hasAssessment(me) ? 'nav.assessment' : 'nav.accountability') });
  if (hasPlan(me)) {
    const myUnit = ownUnitPath(me);
    items.push({
      key: PLAN_GROUP,
      icon: <ProjectOutlined />,
      label: t('nav.plan'),
      children: [
        { key: '/plan', label: t('nav.planTasks') },
        ...(myUnit ? [{ key: myUnit, label: t('nav.myUnit') }] : []),
        { key: '/plan/meetings', label: t('nav.meetings') },
        { key: '/plan/duty-lists', label: t('nav.dutyLists') },
        { key: '/plan/five-leads', label: t('nav.fiveLeads') },
      ],
    });
  } else if (hasFiveLeads(me)) items.push({ key: '/plan/five-leads', icon: <FlagOutlined />, label: t('nav.fiveLeads') });
  if (me.role === 'enterprise') items.push({ key: '/my-enterprise', icon: <ShopOutlined />, label: t('nav.myEnterprise') });
  else items.push({ key: '/enterprises', icon: <BankOutlined />, label: t('nav.enterprises') });
  items.push({ key: '/standards', icon: <BookOutlined />, label: t('nav.standards') });
  if (canImport(me)) items.push({ key: '/imports', icon: <CloudUploadOutlined />, label: t('nav.imports') });
  if (canReadMonthlyReport(me)) items.push({ key: '/reports', icon: <FileWordOutlined />, label: t('nav.reports') });
  if (me.permissions.includes('users.manage')) items.push({ key: '/users', icon: <TeamOutlined />, label: t('nav.users') });
  if (me.permissions.includes('audit.read')) items.push({ key: '/audit', icon: <AuditOutlined />, label: t('nav.audit') });
  return items;
}

function selectedKey(pathname: string, groups: MenuItem[]): string {
  if (pathname === '/') return '/';
  const items = groups.flatMap((i) => i.children ?? [i]);
  // Every cockpit a user opens from their own (a district from the city's, an enterprise from a district's).
  if (pathname.startsWith('/cockpit')) return items.find((i) => i.key.startsWith('/cockpit'))?.key ?? '';
  const match = items.filter((i) => i.key !== '/' && pathname.startsWith(i.key)).sort((a, b) => b.key.length - a.key.length)[0];
  if (match) return match.key;
  // An enterprise user's own enterprise page lives under /enterprises/:id.
  if (pathname.startsWith('/enterprises/')) return items.some((i) => i.key === '/my-enterprise') ? '/my-enterprise' : '/enterprises';
  return '';
}

function Brand({ compact = false }: { compact?: boolean }) {
  const t = useT();
  return (
    <div className={compact ? 'zb-brand zb-brand-compact' : 'zb-brand'}>
      <img src="/favicon.svg" alt="" width={28} height={28} />
      <span className="zb-brand-name">{t('app.name')}</span>
    </div>
  );
}

export default function AppShell() {
  const me = useMe();
  const { logout } = useSession();
  const t = useT();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const location = useLocation();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const [passwordOpen, setPasswordOpen] = useState(false);

  const items = useMemo(() => menuItems(me, t), [me, t]);
  const selected = selectedKey(location.pathname, items);

  const menu = (
    <Menu
      mode="inline"
      theme="dark"
      items={items}
      selectedKeys={[selected]}
      defaultOpenKeys={items.filter((i) => i.children?.some((c) => c.key === selected)).map((i) => i.key)}
      onClick={({ key }) => {
        setDrawerOpen(false);
        navigate(key);
      }}
      data-testid="nav-menu"
    />
  );

  const userMenu: MenuProps = {
    items: [
      { key: 'password', icon: <KeyOutlined />, label: t('header.changePassword'), 'data-testid': 'change-password' } as MenuItem,
      { type: 'divider' },
      { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true, 'data-testid': 'logout' } as MenuItem,
    ],
    onClick: ({ key }) => {
      if (key === 'password') setPasswordOpen(true);
      if (key === 'logout') void logout();
    },
  };

  return (
    <Layout className="zb-shell">
      {!phone && (
        <Layout.Sider
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          breakpoint="lg"
          width={208}
          className="zb-sider"
        >
          <Brand compact={collapsed} />
          {menu}
        </Layout.Sider>
      )}
      {phone && (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={240}
          closable={false}
          styles={{ body: { padding: 0, background: '#001529' } }}
          data-testid="nav-drawer"
        >
          <Brand />
          {menu}
        </Drawer>
      )}
      <Layout>
        <Layout.Header className="zb-header">
          <Space size={8} style={{ minWidth: 0 }}>
            {phone && (
              <>
                <Button
                  type="text"
                  icon={<MenuOutlined />}
                  onClick={() => setDrawerOpen(true)}
                  aria-label={t('nav.menu')}
                  data-testid="nav-toggle"
                />
                <Typography.Text strong className="zb-header-title">
                  {t('app.name')}
                </Typography.Text>
              </>
            )}
          </Space>
          <Space size={phone ? 0 : 8}>
            <NotificationBell />
            <LangSwitch />
            <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
              <Button type="text" className="zb-user-button" data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} style={{ background: '#0b3d91' }} />
                {!phone && (
                  <span className="zb-user-text">
                    <span data-testid="user-display-name">{me.displayName}</span>
                    <Typography.Text type="secondary" className="zb-user-role">
                      <RoleLabel role={me.role} />
                      {me.regionName ? ` · ${me.regionName}` : ''}
                    </Typography.Text>
                  </span>
                )}
                <DownOutlined style={{ fontSize: 10 }} />
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className="zb-content">
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      {passwordOpen && (
        <Suspense fallback={null}>
          <ChangePasswordModal open onClose={() => setPasswordOpen(false)} />
        </Suspense>
      )}
    </Layout>
  );
}
