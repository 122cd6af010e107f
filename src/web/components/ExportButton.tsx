import { CloseOutlined, DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Progress, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { api, ApiError, poll, request, saveUrl } from '../api';
import { problemText } from '../errors';
import { formatBytes } from '../format';
import { useLang, useT } from '../i18n';
import type { Lang, MessageKey } from '../i18n';
import { useMe } from '../session';
import { exportFileUrl, exportJobUrl, exportPercent, forgetExport, rememberedExport, rememberExport, startExportUrl } from './exportJob';
import type { ExportJob, ExportKind } from './exportJob';

const POLL_MS = 500;
const TITLES: Record<ExportKind, MessageKey> = { hazards: 'exp.title.hazards', enterprises: 'exp.title.enterprises' };

const rows = (n: number, lang: Lang) => n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');

/**
 * An export job of this kind, from its start to its file: the job id is kept in session storage
 * so that a reload picks the progress up again; the job is polled while it runs (never after the
 * page is left); the finished file is saved once, automatically.
 */
function useExportJob(kind: ExportKind) {
  const { id: userId } = useMe();
  const [id, setId] = useState(() => rememberedExport(userId, kind));
  // A remembered job may have expired meanwhile (kept 24 h): that is no news to show.
  const resumed = useRef(id);
  const [job, setJob] = useState<ExportJob | null>(null);
  const [starting, setStarting] = useState(false);
  /** why there is no export (refused at the start, or the job is gone) */
  const [error, setError] = useState<unknown>(null);
  /** why the last poll failed, while it is retried */
  const [retrying, setRetrying] = useState<unknown>(null);

  useEffect(() => {
    if (!id) return;
    return poll((signal) => api.get<ExportJob>(exportJobUrl(id), undefined, signal), {
      intervalMs: POLL_MS,
      again: (j) => j.status === 'running',
      onAnswer: (j) => {
        setRetrying(null);
        setJob(j);
        if (j.status === 'running') return;
        forgetExport(userId, kind);
        if (j.status === 'done') saveUrl(exportFileUrl(j.id), j.fileName);
      },
      onError: (err, transient) => {
        if (transient) {
          setRetrying(err);
          return;
        }
        forgetExport(userId, kind);
        setRetrying(null);
        setId(null);
        setJob(null);
        if (!(id === resumed.current && err instanceof ApiError && err.status === 404)) setError(err);
      },
    });
  }, [id, userId, kind]);

  const start = useCallback(
    async (query: Record<string, string>) => {
      setStarting(true);
      setError(null);
      setJob(null);
      setId(null);
      try {
        const j = await request<ExportJob>('POST', startExportUrl(kind), { query, body: {} });
        rememberExport(userId, kind, j.id);
        setJob(j);
        setId(j.id);
      } catch (err) {
        setError(err);
      } finally {
        setStarting(false);
      }
    },
    [userId, kind],
  );

  const dismiss = useCallback(() => {
    setId(null);
    setJob(null);
    setError(null);
    setRetrying(null);
  }, []);

  // Busy from the click until the job has settled, a resumed one included: one export at a time.
  const busy = starting || (!!id && job?.status !== 'done' && job?.status !== 'failed');
  return { job, error, retrying, busy, start, dismiss };
}

/**
 * 导出 Excel for a list page: exports what `query` selects (the list's filters, every page) as a
 * job at the server, with its progress in a panel in the corner of the screen.
 */
export function ExportButton({ kind, query, disabled, testId }: { kind: ExportKind; query: Record<string, string>; disabled?: boolean; testId: string }) {
  const t = useT();
  const { job, error, retrying, busy, start, dismiss } = useExportJob(kind);
  return (
    <>
      <Button icon={<DownloadOutlined />} loading={busy} disabled={disabled} title={t('hz.exportTitle')} onClick={() => void start(query)} data-testid={testId}>
        {t('hz.export')}
      </Button>
      {(job || error) && createPortal(<ExportPanel kind={kind} job={job} error={error} retrying={retrying} onClose={dismiss} />, document.body)}
    </>
  );
}

function ExportPanel({ kind, job, error, retrying, onClose }: { kind: ExportKind; job: ExportJob | null; error: unknown; retrying: unknown; onClose: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const running = job?.status === 'running';
  const state = job?.status ?? 'refused';
  const heading: Record<typeof state, MessageKey> = { running: 'exp.running', done: 'exp.done', failed: 'exp.failed', refused: 'exp.refused' };
  return (
    <Card
      size="small"
      className="zb-export-panel zb-no-print"
      title={
        <span>
          <FileExcelOutlined className="zb-export-icon" />
          {t(TITLES[kind])}
        </span>
      }
      extra={
        // A running export cannot be called off at the server: the panel stays until it settles.
        !running && <Button type="text" size="small" icon={<CloseOutlined />} onClick={onClose} aria-label={t('common.close')} title={t('common.close')} data-testid="export-close" />
      }
      role="status"
      aria-live="polite"
      data-testid="export-panel"
      data-state={state}
    >
      <Typography.Text strong data-testid="export-heading">
        {t(heading[state])}
      </Typography.Text>
      {job && (
        <>
          <Progress percent={exportPercent(job)} status={job.status === 'running' ? 'active' : job.status === 'done' ? 'success' : 'exception'} data-testid="export-progress" />
          <Typography.Text type="secondary" className="zb-export-rows" data-testid="export-rows">
            {t('exp.rowsWritten', { n: rows(job.rowsWritten, lang), total: rows(job.rowsTotal, lang) })}
          </Typography.Text>
        </>
      )}
      {running && (
        <Typography.Paragraph type="secondary" className="zb-export-note">
          {t('exp.keepGoing')}
        </Typography.Paragraph>
      )}
      {running && retrying != null && <Alert type="warning" showIcon title={t('exp.retrying', { text: problemText(retrying, lang, t) })} className="zb-export-alert" />}
      {job?.status === 'done' && (
        <div className="zb-export-done">
          <Typography.Text className="zb-export-file" data-testid="export-file">
            {job.fileName}
            {job.size !== null && <Typography.Text type="secondary"> · {formatBytes(job.size)}</Typography.Text>}
          </Typography.Text>
          <Typography.Paragraph type="secondary" className="zb-export-note">
            {t('exp.downloadHint')}
          </Typography.Paragraph>
          <Button type="primary" icon={<DownloadOutlined />} href={exportFileUrl(job.id)} download={job.fileName} data-testid="export-download">
            {t('exp.download')}
          </Button>
        </div>
      )}
      {job?.status === 'failed' && <Alert type="error" showIcon title={job.message ?? t('exp.noReason')} className="zb-export-alert" data-testid="export-error" />}
      {!job && error != null && <Alert type="error" showIcon title={problemText(error, lang, t)} className="zb-export-alert" data-testid="export-error" />}
    </Card>
  );
}
