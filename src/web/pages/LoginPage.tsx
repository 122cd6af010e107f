import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import type { Me } from '../../shared/contracts/users';
import { api, ApiError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { problemText } from '../errors';
import { useLang, useT } from '../i18n';
import { useSession } from '../session';

interface Values {
  username: string;
  password: string;
}

/** Only same-app paths, so a crafted ?next= cannot send the user elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export default function LoginPage() {
  const t = useT();
  const { lang } = useLang();
  const { me, setMe } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; code?: string } | null>(null);

  if (me) return <Navigate to={me.mustChangePassword ? '/change-password' : next} replace />;

  const onFinish = async (values: Values) => {
    setBusy(true);
    setError(null);
    try {
      const user = await api.post<Me>('/api/auth/login', { username: values.username.trim(), password: values.password });
      setMe(user);
      navigate(user.mustChangePassword ? '/change-password' : next, { replace: true, state: { next } });
    } catch (err) {
      setError({ text: problemText(err, lang, t), code: err instanceof ApiError ? err.code : undefined });
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout title={t('login.title')}>
      <Form<Values> layout="vertical" onFinish={onFinish} requiredMark={false} size="large" data-testid="login-form">
        {error && (
          <Alert
            type={error.code === 'ACCOUNT_LOCKED' || error.code === 'RATE_LIMITED' ? 'warning' : 'error'}
            title={error.text}
            showIcon
            style={{ marginBottom: 16 }}
            data-testid="login-error"
            data-code={error.code}
          />
        )}
        <Form.Item
          name="username"
          label={t('login.username')}
          rules={[{ required: true, message: t('common.required', { field: t('login.username') }) }]}
        >
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus autoCapitalize="none" spellCheck={false} data-testid="login-username" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[{ required: true, message: t('common.required', { field: t('login.password') }) }]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </AuthLayout>
  );
}
