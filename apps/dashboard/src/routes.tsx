// Every page of the dashboard, who may see it, and where it sits in the navigation.
import { lazy, ReactElement, Suspense } from 'react';
import { Loading } from './ui/async';
import { AgentHome } from './pages/agent/AgentHome';
import { MyApplications } from './pages/agent/MyApplications';
import { UsersPage } from './pages/admin/UsersPage';
import { GroupsPage } from './pages/admin/GroupsPage';
import { CampaignsPage } from './pages/admin/CampaignsPage';
import { OrgPage } from './pages/admin/OrgPage';
import { PhonesPage } from './pages/admin/PhonesPage';
import { SipBansPage } from './pages/admin/SipBansPage';
import { WebhooksPage } from './pages/admin/WebhooksPage';
import { TeamPage } from './pages/admin/TeamPage';
import { LeadExceptionsPage } from './pages/admin/LeadExceptionsPage';
import { UnassignedLeadsPage } from './pages/admin/UnassignedLeadsPage';
import { LocalPresencePage } from './pages/admin/LocalPresencePage';
import { CallActivityPage } from './pages/admin/CallActivityPage';
import { DialModePage } from './pages/dial-mode/DialModePage';
import { DialSettingsPage } from './pages/dial-mode/DialSettingsPage';
import { OrderListPage } from './pages/dial-mode/OrderListPage';
import { DoNotCallPage } from './pages/dial-mode/DoNotCallPage';
import type { Role } from '@leadline/contracts';

// The chart library is loaded only by the pages that draw charts.
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage').then((m) => ({ default: m.ReportsPage })));
const WallboardPage = lazy(() => import('./pages/reports/WallboardPage').then((m) => ({ default: m.WallboardPage })));
const later = (page: ReactElement) => <Suspense fallback={<Loading />}>{page}</Suspense>;

export interface PageRoute {
  path: string;
  label: string;
  roles: Role[];
  element: ReactElement;
  section: 'Me' | 'Leads' | 'Team' | 'Setup';
  /** Full screen, without the navigation (the wallboard). */
  bare?: boolean;
}

const everyone: Role[] = ['admin', 'manager', 'agent'];
const managers: Role[] = ['admin', 'manager'];
const admins: Role[] = ['admin'];

export const ROUTES: PageRoute[] = [
  { path: '/', label: 'Home', roles: everyone, element: <AgentHome />, section: 'Me' },
  { path: '/my/applications', label: 'My applications', roles: everyone, element: <MyApplications />, section: 'Me' },
  { path: '/lead-exceptions', label: 'Lead exceptions', roles: managers, element: <LeadExceptionsPage />, section: 'Leads' },
  { path: '/unassigned-leads', label: 'Unassigned leads', roles: managers, element: <UnassignedLeadsPage />, section: 'Leads' },
  { path: '/call-activity', label: 'Call activity', roles: everyone, element: <CallActivityPage />, section: 'Leads' },
  { path: '/dial-mode', label: 'Dial mode', roles: everyone, element: <DialModePage />, section: 'Leads' },
  { path: '/dial-mode-settings', label: 'Dial-up settings', roles: managers, element: <DialSettingsPage />, section: 'Leads' },
  { path: '/order-list', label: 'Order list', roles: managers, element: <OrderListPage />, section: 'Leads' },
  { path: '/do-not-call', label: 'Do-not-call list', roles: managers, element: <DoNotCallPage />, section: 'Leads' },
  { path: '/reports', label: 'Reports', roles: managers, element: later(<ReportsPage />), section: 'Leads' },
  { path: '/team', label: 'Team presence', roles: managers, element: <TeamPage />, section: 'Team' },
  { path: '/wallboard', label: 'Wallboard', roles: managers, element: later(<WallboardPage />), section: 'Team', bare: true },
  { path: '/users', label: 'Users', roles: managers, element: <UsersPage />, section: 'Team' },
  { path: '/groups', label: 'Distribution groups', roles: managers, element: <GroupsPage />, section: 'Setup' },
  { path: '/campaigns', label: 'Campaigns', roles: managers, element: <CampaignsPage />, section: 'Setup' },
  { path: '/local-presence', label: 'Local dial presence', roles: managers, element: <LocalPresencePage />, section: 'Setup' },
  { path: '/org', label: 'Organization', roles: admins, element: <OrgPage />, section: 'Setup' },
  { path: '/phones', label: 'Desk phones', roles: admins, element: <PhonesPage />, section: 'Setup' },
  { path: '/sip-bans', label: 'SIP bans', roles: admins, element: <SipBansPage />, section: 'Setup' },
  { path: '/webhooks', label: 'Webhooks', roles: admins, element: <WebhooksPage />, section: 'Setup' },
];

export function routesFor(role: Role): PageRoute[] {
  return ROUTES.filter((r) => r.roles.includes(role));
}
