import { App as AntApp, ConfigProvider } from 'antd';
import { STYLE_NONCE } from './csp';
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect } from 'react';
import type { ReactNode } from 'react';
import { Navigate, Outlet, Route, Routes, useLocation } from 'react-router-dom';
import { ApiError } from './api';
import { ErrorState, PageLoading } from './components/Feedback';
import { useLang } from './i18n';
import { hasEnforcement } from './pages/enforcement/access';
import { hasExperts } from './pages/experts/access';
import { hasAgencies } from './pages/agencies/access';
import { hasTips } from './pages/tips/access';
import { hasFiveLeads, hasPlan } from './pages/plan/access';
import { hasAccidents } from './pages/accidents/access';
import { hasAssessment, seesAccountability } from './pages/assessment/access';
import { hasRisks, seesRounds } from './pages/risks/access';
import { hasCertificates } from './pages/certificates/access';
import { hasCampaigns } from './pages/campaigns/access';
import { hasTraining } from './pages/training/access';
import { canImport } from './pages/imports/model';
import { canReadMonthlyReport } from './pages/reports/access';
import { loginPath, useMe, useSession } from './session';
import type { Permission } from './session';
import type { Me } from '../shared/contracts/users';

const LoginPage = lazy(() => import('./pages/LoginPage'));
const ForcedPasswordPage = lazy(() => import('./pages/ForcedPasswordPage'));
const AppShell = lazy(() => import('./components/AppShell'));
const HomePage = lazy(() => import('./pages/HomePage'));
const CockpitPage = lazy(() => import('./pages/cockpit/CockpitPage'));
const EnterpriseCockpitPage = lazy(() => import('./pages/cockpit/EnterpriseCockpitPage'));
const EnterpriseListPage = lazy(() => import('./pages/enterprises/EnterpriseListPage'));
const EnterpriseDetailPage = lazy(() => import('./pages/enterprises/EnterpriseDetailPage'));
const MyEnterprisePage = lazy(() => import('./pages/enterprises/MyEnterprisePage'));
const StandardsPage = lazy(() => import('./pages/standards/StandardsPage'));
const StandardDetailPage = lazy(() => import('./pages/standards/StandardDetailPage'));
const ClauseSearchPage = lazy(() => import('./pages/standards/ClauseSearchPage'));
const HazardListPage = lazy(() => import('./pages/hazards/HazardListPage'));
const HazardDetailPage = lazy(() => import('./pages/hazards/HazardDetailPage'));
const HazardReportPage = lazy(() => import('./pages/hazards/HazardReportPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const ImportPage = lazy(() => import('./pages/imports/ImportPage'));
const MonthlyReportPage = lazy(() => import('./pages/reports/MonthlyReportPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
const SelfCheckPage = lazy(() => import('./pages/selfchecks/SelfCheckPage'));
const RoundPage = lazy(() => import('./pages/selfchecks/RoundPage'));
const EnforcementPage = lazy(() => import('./pages/enforcement/EnforcementPage'));
const InspectionPage = lazy(() => import('./pages/enforcement/InspectionPage'));
const PublicDrawPage = lazy(() => import('./pages/enforcement/PublicDrawPage'));
const ExpertsPage = lazy(() => import('./pages/experts/ExpertsPage'));
const VisitPage = lazy(() => import('./pages/experts/VisitPage'));
const AgenciesPage = lazy(() => import('./pages/agencies/AgenciesPage'));
const EngagementPage = lazy(() => import('./pages/agencies/EngagementPage'));
const PublicTipPage = lazy(() => import('./pages/tips/PublicTipPage'));
const TipsPage = lazy(() => import('./pages/tips/TipsPage'));
const TipPage = lazy(() => import('./pages/tips/TipPage'));
const PlanPage = lazy(() => import('./pages/plan/PlanPage'));
const PlanTaskPage = lazy(() => import('./pages/plan/PlanTaskPage'));
const PlanUnitPage = lazy(() => import('./pages/plan/PlanUnitPage'));
const MeetingsPage = lazy(() => import('./pages/plan/MeetingsPage'));
const DutyListsPage = lazy(() => import('./pages/plan/DutyListsPage'));
const FiveLeadsPage = lazy(() => import('./pages/plan/FiveLeadsPage'));
const AccidentsPage = lazy(() => import('./pages/accidents/AccidentsPage'));
const AccidentPage = lazy(() => import('./pages/accidents/AccidentPage'));
const AssessmentPage = lazy(() => import('./pages/assessment/AssessmentPage'));
const RunPage = lazy(() => import('./pages/assessment/RunPage'));
const RisksPage = lazy(() => import('./pages/risks/RisksPage'));
const RiskPage = lazy(() => import('./pages/risks/RiskPage'));
const RiskRoundPage = lazy(() => import('./pages/risks/RoundPage'));
const CertificatesPage = lazy(() => import('./pages/certificates/CertificatesPage'));
const CertificatePage = lazy(() => import('./pages/certificates/CertificatePage'));
const CampaignsPage = lazy(() => import('./pages/campaigns/CampaignsPage'));
const CampaignPage = lazy(() => import('./pages/campaigns/CampaignPage'));
const TrainingPage = lazy(() => import('./pages/training/TrainingPage'));
const CoursePage = lazy(() => import('./pages/training/CoursePage'));

const theme = {
  token: {
    colorPrimary: '#0b3d91',
    colorLink: '#0b57d0',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Helvetica Neue', Arial, sans-serif",
  },
};

/** Signed-in routes: the login page when signed out, the new-password page while one is owed. */
function RequireSession() {
  const { me, loadError, signedOut, refresh } = useSession();
  const location = useLocation();
  if (me === undefined) {
    if (loadError) return <ErrorState error={loadError} onRetry={() => void refresh()} />;
    return <PageLoading fullScreen />;
  }
  if (me === null) return <Navigate to={signedOut ? '/login' : loginPath(location)} replace />;
  if (me.mustChangePassword && location.pathname !== '/change-password') {
    return <Navigate to="/change-password" replace state={{ next: location.pathname + location.search }} />;
  }
  return <Outlet />;
}

function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { can } = useSession();
  if (!can(permission)) return <ErrorState error={new ApiError(403, null, 'forbidden')} />;
  return <>{children}</>;
}

/** A page only some roles have (no single permission names it): others see the forbidden state. */
function RequireRole({ allowed, children }: { allowed: (me: Me) => boolean; children: ReactNode }) {
  if (!allowed(useMe())) return <ErrorState error={new ApiError(403, null, 'forbidden')} />;
  return <>{children}</>;
}

/** antd's run-time styles carry the page's nonce (see csp.ts). */
const CSP = STYLE_NONCE ? { nonce: STYLE_NONCE } : undefined;

export function App() {
  const { lang } = useLang();
  useEffect(() => {
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  }, [lang]);

  return (
    <ConfigProvider locale={lang === 'zh' ? zhCN : enUS} theme={theme} csp={CSP}>
      <AntApp>
        <Suspense fallback={<PageLoading fullScreen />}>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            {/* Published draws are public: anyone may check them without an account. */}
            <Route path="/public/draws/:id" element={<PublicDrawPage />} />
            {/* 安全生产举报: anyone, from a phone, without an account (a poster's QR code opens it). */}
            <Route path="/report" element={<PublicTipPage />} />
            <Route element={<RequireSession />}>
              <Route path="/change-password" element={<ForcedPasswordPage />} />
              <Route element={<AppShell />}>
                <Route index element={<HomePage />} />
                <Route path="cockpit" element={<CockpitPage kind="city" />} />
                <Route path="cockpit/districts/:code" element={<CockpitPage kind="district" />} />
                <Route path="cockpit/departments/:id" element={<CockpitPage kind="department" />} />
                <Route path="cockpit/enterprises/:id" element={<EnterpriseCockpitPage />} />
                <Route path="hazards" element={<HazardListPage />} />
                <Route path="hazards/new" element={<HazardReportPage />} />
                <Route path="hazards/:id" element={<HazardDetailPage />} />
                <Route path="selfchecks" element={<SelfCheckPage />} />
                <Route path="selfchecks/:id" element={<RoundPage />} />
                <Route
                  path="enforcement"
                  element={
                    <RequireRole allowed={hasEnforcement}>
                      <EnforcementPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="enforcement/inspections/:id"
                  element={
                    <RequireRole allowed={hasEnforcement}>
                      <InspectionPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="experts"
                  element={
                    <RequireRole allowed={hasExperts}>
                      <ExpertsPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="experts/visits/:id"
                  element={
                    <RequireRole allowed={hasExperts}>
                      <VisitPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="agencies"
                  element={
                    <RequireRole allowed={hasAgencies}>
                      <AgenciesPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="agencies/engagements/:id"
                  element={
                    <RequireRole allowed={hasAgencies}>
                      <EngagementPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="tips"
                  element={
                    <RequireRole allowed={hasTips}>
                      <TipsPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="tips/:id"
                  element={
                    <RequireRole allowed={hasTips}>
                      <TipPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="plan"
                  element={
                    <RequireRole allowed={hasPlan}>
                      <PlanPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="plan/tasks/:id"
                  element={
                    <RequireRole allowed={hasPlan}>
                      <PlanTaskPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="plan/units/:kind/:key"
                  element={
                    <RequireRole allowed={hasPlan}>
                      <PlanUnitPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="plan/meetings"
                  element={
                    <RequireRole allowed={hasPlan}>
                      <MeetingsPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="plan/duty-lists"
                  element={
                    <RequireRole allowed={hasPlan}>
                      <DutyListsPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="plan/five-leads"
                  element={
                    <RequireRole allowed={hasFiveLeads}>
                      <FiveLeadsPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="accidents"
                  element={
                    <RequireRole allowed={hasAccidents}>
                      <AccidentsPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="accidents/:id"
                  element={
                    <RequireRole allowed={hasAccidents}>
                      <AccidentPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="assessment"
                  element={
                    <RequireRole allowed={seesAccountability}>
                      <AssessmentPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="assessment/runs/:id"
                  element={
                    <RequireRole allowed={hasAssessment}>
                      <RunPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="risks"
                  element={
                    <RequireRole allowed={hasRisks}>
                      <RisksPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="risks/rounds/:id"
                  element={
                    <RequireRole allowed={seesRounds}>
                      <RiskRoundPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="risks/:id"
                  element={
                    <RequireRole allowed={hasRisks}>
                      <RiskPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="certificates"
                  element={
                    <RequireRole allowed={hasCertificates}>
                      <CertificatesPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="certificates/:id"
                  element={
                    <RequireRole allowed={hasCertificates}>
                      <CertificatePage />
                    </RequireRole>
                  }
                />
                <Route
                  path="campaigns"
                  element={
                    <RequireRole allowed={hasCampaigns}>
                      <CampaignsPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="campaigns/:id"
                  element={
                    <RequireRole allowed={hasCampaigns}>
                      <CampaignPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="training"
                  element={
                    <RequireRole allowed={hasTraining}>
                      <TrainingPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="training/courses/:id"
                  element={
                    <RequireRole allowed={hasTraining}>
                      <CoursePage />
                    </RequireRole>
                  }
                />
                <Route path="enterprises" element={<EnterpriseListPage />} />
                <Route path="enterprises/:id" element={<EnterpriseDetailPage />} />
                <Route path="my-enterprise" element={<MyEnterprisePage />} />
                <Route path="standards" element={<StandardsPage />} />
                <Route path="standards/clauses" element={<ClauseSearchPage />} />
                <Route path="standards/:id" element={<StandardDetailPage />} />
                <Route
                  path="users"
                  element={
                    <RequirePermission permission="users.manage">
                      <UsersPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="audit"
                  element={
                    <RequirePermission permission="audit.read">
                      <AuditPage />
                    </RequirePermission>
                  }
                />
                <Route
                  path="imports"
                  element={
                    <RequireRole allowed={canImport}>
                      <ImportPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="imports/:id"
                  element={
                    <RequireRole allowed={canImport}>
                      <ImportPage />
                    </RequireRole>
                  }
                />
                <Route
                  path="reports"
                  element={
                    <RequireRole allowed={canReadMonthlyReport}>
                      <MonthlyReportPage />
                    </RequireRole>
                  }
                />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Route>
          </Routes>
        </Suspense>
      </AntApp>
    </ConfigProvider>
  );
}
