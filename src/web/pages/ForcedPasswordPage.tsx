import { Alert, Button } from 'antd';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { AuthLayout } from '../components/AuthLayout';
import { ChangePasswordForm } from '../components/ChangePassword';
import { useT } from '../i18n';
import { useMe, useSession } from '../session';

/** Shown instead of the app while the user still owes a new password. */
export default function ForcedPasswordPage() {
  const t = useT();
  const me = useMe();
  const { refresh, logout } = useSession();
  const navigate = useNavigate();
  const state = useLocation().state as { next?: string } | null;
  const next = state?.next && state.next.startsWith('/') ? state.next : '/';

  if (!me.mustChangePassword) return <Navigate to={next} replace />;

  return (
    <AuthLayout title={t('password.title')}>
      <Alert type="info" showIcon title={t('password.mustChange')} style={{ marginBottom: 16 }} />
      <ChangePasswordForm
        onDone={() => {
          void refresh().then(() => navigate(next, { replace: true }));
        }}
      />
      <Button type="link" onClick={() => void logout()} style={{ paddingLeft: 0 }} data-testid="logout">
        {t('header.logout')}
      </Button>
    </AuthLayout>
  );
}
