import { Button, Result, Skeleton, Spin } from 'antd';
import { ApiError } from '../api';
import { problemText } from '../errors';
import { useLang, useT } from '../i18n';

export function PageLoading({ fullScreen = false }: { fullScreen?: boolean }) {
  const t = useT();
  return (
    <div className={fullScreen ? 'zb-center zb-fullscreen' : 'zb-center zb-page-loading'} data-testid="page-loading">
      <Spin size="large" description={t('common.loading')} />
    </div>
  );
}

export function BlockLoading() {
  return <Skeleton active paragraph={{ rows: 6 }} />;
}

/** A friendly stand-in for a page or block that failed to load, with a retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const status = error instanceof ApiError ? error.status : 0;
  const resultStatus = status === 403 ? '403' : status === 404 ? '404' : status >= 500 ? '500' : 'warning';
  const title = status === 403 ? t('common.forbidden') : status === 404 ? t('common.notFound') : t('common.error');
  return (
    <div data-testid="error-state">
      <Result
      status={resultStatus}
      title={title}
      subTitle={problemText(error, lang, t)}
      extra={
        onRetry && status !== 403 && status !== 404 ? (
          <Button type="primary" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
      />
    </div>
  );
}
