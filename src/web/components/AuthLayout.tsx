import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../i18n';
import { LangSwitch } from './LangSwitch';

/** The branded frame of the pages shown before the app: sign-in and the owed new password. */
export function AuthLayout({ title, children }: { title: ReactNode; children: ReactNode }) {
  const t = useT();
  return (
    <div className="zb-auth">
      <div className="zb-auth-lang">
        <LangSwitch />
      </div>
      <div className="zb-auth-inner">
        <div className="zb-auth-brand">
          <img src="/favicon.svg" alt="" width={56} height={56} />
          <div>
            <h1 className="zb-auth-title">
              治本 <span>Zhiben</span>
            </h1>
            <p className="zb-auth-slogan">{t('app.slogan')}</p>
            <p className="zb-auth-tagline">{t('app.tagline')}</p>
          </div>
        </div>
        <Card className="zb-auth-card" title={title}>
          {children}
        </Card>
        <Typography.Text className="zb-auth-footer">{t('login.footer')}</Typography.Text>
      </div>
    </div>
  );
}
