import { DownloadOutlined, FileExcelOutlined, InboxOutlined, RedoOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Flex, Progress, Radio, Result, Row, Statistic, Steps, Typography, Upload } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError, downloadUrl, poll } from '../../api';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { problemText } from '../../errors';
import { formatBytes, formatDateTime } from '../../format';
import { useLang, useT } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { useMe } from '../../session';
import { ImportErrorRows } from './ImportErrorRows';
import { LayoutAlerts, MappingPanel } from './MappingPanel';
import { canResume, IMPORT_ACCEPT, IMPORT_MAX_BYTES, importKinds, isImportable, isRunning, jobUrl, rowList, toWrite } from './model';
import type { ImportCounts, ImportJob, ImportKind } from './model';

const POLL_MS = 1000;
const KIND_LABELS: Record<ImportKind, MessageKey> = { hazards: 'imp.kind.hazards', enterprises: 'imp.kind.enterprises' };
const HINTS: Record<ImportKind, MessageKey> = { hazards: 'imp.templateHint.hazards', enterprises: 'imp.templateHint.enterprises' };

/**
 * 数据导入: choose what to import, download its template, upload the filled-in workbook (.xlsx,
 * .xls) or CSV; the server previews every row, the user corrects how its columns were read if need
 * be, confirms, the server writes. The job lives at /imports/:id, so a
 * reload (or coming back later) shows where it is.
 */
export default function ImportPage() {
  const { id } = useParams();
  const t = useT();
  const kinds = importKinds(useMe());
  return (
    <div className="zb-page">
      <PageHeader title={t('imp.title')} />
      {id ? <JobView key={id} id={id} /> : <StartImport kinds={kinds} />}
    </div>
  );
}

function ImportSteps({ current, status }: { current: number; status?: 'process' | 'finish' | 'error' }) {
  const t = useT();
  return (
    <Steps
      className="zb-import-steps"
      size="small"
      responsive={false}
      titlePlacement="vertical"
      current={current}
      status={status}
      items={[{ title: t('imp.step.upload') }, { title: t('imp.step.preview') }, { title: t('imp.step.commit') }, { title: t('imp.step.done') }]}
      data-testid="import-steps"
    />
  );
}

function TemplateButton({ kind }: { kind: ImportKind }) {
  const t = useT();
  return (
    <Button icon={<DownloadOutlined />} href={downloadUrl(`/api/imports/templates/${kind}`)} download data-testid="import-template">
      {t('imp.template')}
    </Button>
  );
}

function StartImport({ kinds }: { kinds: ImportKind[] }) {
  const t = useT();
  const { lang } = useLang();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const asked = params.get('kind') as ImportKind | null;
  const kind = asked && kinds.includes(asked) ? asked : kinds[0];
  const [uploading, setUploading] = useState<{ name: string; size: number; percent: number } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const ctrl = useRef<AbortController | null>(null);
  // Leaving the page abandons an upload still on its way.
  useEffect(() => () => ctrl.current?.abort(), []);

  const upload = async (file: File) => {
    setFailure(null);
    if (!isImportable(file.name)) return setFailure(t('imp.notSpreadsheet', { name: file.name }));
    if (file.size > IMPORT_MAX_BYTES) return setFailure(t('imp.tooLarge', { name: file.name }));
    const c = new AbortController();
    ctrl.current = c;
    setUploading({ name: file.name, size: file.size, percent: 0 });
    try {
      const job = await api.sendFile<ImportJob>('/api/imports', file, {
        query: { kind },
        signal: c.signal,
        onProgress: (f) => setUploading({ name: file.name, size: file.size, percent: Math.floor(f * 100) }),
      });
      navigate(`/imports/${encodeURIComponent(job.id)}`);
    } catch (err) {
      if (c.signal.aborted) return;
      setUploading(null);
      setFailure(t('imp.uploadFailed', { text: problemText(err, lang, t) }));
    }
  };

  if (!kind) return <ErrorState error={new ApiError(403, null, 'forbidden')} />;

  return (
    <Card className="zb-card" data-testid="import-start">
      <ImportSteps current={0} />
      <div className="zb-import-body">
        <Flex vertical gap={16}>
          {kinds.length > 1 && (
            <Flex align="center" gap={12} wrap>
              <Typography.Text strong>{t('imp.kind')}</Typography.Text>
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                value={kind}
                disabled={!!uploading}
                onChange={(e) => {
                  setFailure(null);
                  setParams({ kind: e.target.value as string }, { replace: true });
                }}
                options={kinds.map((k) => ({ value: k, label: t(KIND_LABELS[k]) }))}
                data-testid="import-kind"
              />
            </Flex>
          )}
          {kinds.length === 1 && (
            <Typography.Text strong>{t('imp.kindOnly', { kind: t(KIND_LABELS[kind]) })}</Typography.Text>
          )}
          <div className="zb-import-template">
            <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
              {t(HINTS[kind])}
            </Typography.Paragraph>
            <TemplateButton kind={kind} />
          </div>
          {failure && <Alert type="error" showIcon title={failure} closable={{ onClose: () => setFailure(null) }} data-testid="import-upload-error" />}
          <div data-testid="import-dragger">
            <Upload.Dragger
              accept={IMPORT_ACCEPT}
              multiple={false}
              showUploadList={false}
              disabled={!!uploading}
              beforeUpload={(file) => {
                void upload(file);
                return Upload.LIST_IGNORE;
              }}
              className="zb-import-dragger"
            >
              {uploading ? (
                <div className="zb-import-uploading" data-testid="import-uploading">
                  <p className="ant-upload-drag-icon">
                    <FileExcelOutlined />
                  </p>
                  <p className="ant-upload-text">
                    {t('imp.uploading', { name: uploading.name })} · {formatBytes(uploading.size)}
                  </p>
                  <Progress percent={uploading.percent} status="active" />
                </div>
              ) : (
                <>
                  <p className="ant-upload-drag-icon">
                    <InboxOutlined />
                  </p>
                  <p className="ant-upload-text">{t('imp.drop')}</p>
                  <p className="ant-upload-hint">{t('imp.dropHint')}</p>
                </>
              )}
            </Upload.Dragger>
          </div>
        </Flex>
      </div>
    </Card>
  );
}

/** The job, polled while it runs at the server; restart() resumes polling (after a commit). */
function useImportJob(id: string) {
  const [job, setJob] = useState<ImportJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);

  useEffect(
    () =>
      poll((signal) => api.get<ImportJob>(jobUrl(id), undefined, signal), {
        intervalMs: POLL_MS,
        again: (j) => isRunning(j.status),
        onAnswer: (j) => {
          setJob(j);
          setError(null);
        },
        onError: (err) => setError(err),
      }),
    [id, round],
  );

  const restart = useCallback((next?: ImportJob) => {
    if (next) setJob(next);
    setRound((r) => r + 1);
  }, []);
  return { job, error, restart };
}

function JobView({ id }: { id: string }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { job, error, restart } = useImportJob(id);
  const [committing, setCommitting] = useState(false);

  if (!job) {
    return <Card className="zb-card">{error ? <ErrorState error={error} onRetry={() => restart()} /> : <BlockLoading />}</Card>;
  }

  const counts = job.needsMapping ? null : job.counts;
  const writes = toWrite(counts);
  const errors = counts?.error ?? 0;
  const again = () => navigate(`/imports?kind=${job.kind}`);
  const commit = async () => {
    setCommitting(true);
    try {
      restart(await api.post<ImportJob>(`${jobUrl(job.id)}/commit`));
    } catch (err) {
      void message.error(problemText(err, lang, t));
      restart();
    } finally {
      setCommitting(false);
    }
  };
  const errorsButton = errors > 0 && (
    <Button icon={<DownloadOutlined />} href={downloadUrl(`${jobUrl(job.id)}/errors.xlsx`)} download data-testid="import-download-errors">
      {t('imp.downloadErrors')}
    </Button>
  );
  const againButton = (primary = false) => (
    <Button type={primary ? 'primary' : 'default'} icon={<UploadOutlined />} onClick={again} data-testid="import-again">
      {job.status === 'committed' ? t('imp.another') : t('imp.again')}
    </Button>
  );
  // A poll that failed after the job was shown: say so, and keep showing the last state.
  const stale = error ? <Alert type="warning" showIcon title={problemText(error, lang, t)} style={{ marginTop: 16 }} /> : null;

  let body: ReactNode;
  switch (job.status) {
    case 'previewing':
      body = (
        <>
          <ImportSteps current={1} />
          <JobFile job={job} />
          <RowProgress label={t('imp.previewing')} text={t('imp.rowsRead', { n: job.rowsRead.toLocaleString() })} testId="import-preview-progress" />
          <Typography.Paragraph type="secondary" className="zb-import-note">
            {t('imp.keepGoing')}
          </Typography.Paragraph>
        </>
      );
      break;
    case 'previewed':
      body = (
        <div data-testid="import-preview">
          <ImportSteps current={1} />
          <JobFile job={job} />
          {job.layout && <LayoutAlerts layout={job.layout} needsMapping={job.needsMapping} />}
          {counts && <CountCards counts={counts} />}
          {errors > 0 && <Alert type="warning" showIcon title={t('imp.errorsAlert', { n: errors.toLocaleString() })} className="zb-import-alert" />}
          {counts && counts.cleaned > 0 && (
            <Alert
              type="info"
              showIcon
              title={t('imp.cleaned', { n: counts.cleaned.toLocaleString(), rows: rowList(counts.cleanedRows, counts.cleaned, lang) })}
              className="zb-import-alert"
              data-testid="import-cleaned"
            />
          )}
          {counts?.inferred.map((x) => (
            <Alert
              key={`${x.column}|${x.source}`}
              type="info"
              showIcon
              title={t('imp.inferred', { column: x.column, source: x.source, n: x.count.toLocaleString(), rows: rowList(x.rows, x.count, lang) })}
              className="zb-import-alert"
              data-testid="import-inferred"
            />
          ))}
          {writes === 0 && !job.needsMapping && <Alert type="info" showIcon title={t('imp.nothingToWrite')} className="zb-import-alert" />}
          {job.layout && <MappingPanel key={job.updatedAt} job={{ ...job, layout: job.layout }} onPreview={restart} />}
          <Flex gap={8} wrap align="center" className="zb-import-actions">
            <Button type="primary" icon={<UploadOutlined />} disabled={writes === 0} loading={committing} onClick={() => void commit()} data-testid="import-commit">
              {counts ? t('imp.commitCounts', { create: counts.create.toLocaleString(), update: counts.update.toLocaleString() }) : t('imp.commit')}
            </Button>
            {errorsButton}
            {againButton()}
            {job.needsMapping && (
              <Typography.Text type="secondary" data-testid="import-commit-blocked">
                {t('imp.map.commitBlocked')}
              </Typography.Text>
            )}
          </Flex>
        </div>
      );
      break;
    case 'committing':
      body = (
        <>
          <ImportSteps current={2} />
          <JobFile job={job} />
          {counts && <CountCards counts={counts} />}
          <RowProgress
            label={t('imp.committing')}
            done={job.rowsWritten}
            total={writes}
            text={t('imp.rowsWritten', { n: job.rowsWritten.toLocaleString(), total: writes.toLocaleString() })}
            testId="import-commit-progress"
          />
          <Typography.Paragraph type="secondary" className="zb-import-note">
            {t('imp.keepGoing')}
          </Typography.Paragraph>
        </>
      );
      break;
    case 'committed':
      body = (
        <>
          <ImportSteps current={3} status="finish" />
          <Result
            status="success"
            title={t('imp.done')}
            subTitle={
              <>
                <span data-testid="import-done-detail">
                  {t('imp.doneDetail', {
                    create: (counts?.create ?? 0).toLocaleString(),
                    update: (counts?.update ?? 0).toLocaleString(),
                    unchanged: (counts?.unchanged ?? 0).toLocaleString(),
                  })}
                </span>
                {errors > 0 && ` ${t('imp.doneSkipped', { n: errors.toLocaleString() })}`}
                <br />
                <JobFileText job={job} />
              </>
            }
            extra={
              <Flex gap={8} wrap justify="center">
                <Button type="primary" onClick={() => navigate(job.kind === 'hazards' ? '/hazards?view=all&sort=-createdAt' : '/enterprises')} data-testid="import-open-list">
                  {job.kind === 'hazards' ? t('imp.toLedger') : t('imp.toEnterprises')}
                </Button>
                {errorsButton}
                {againButton()}
              </Flex>
            }
            data-testid="import-done"
          />
        </>
      );
      break;
    case 'failed':
      body = canResume(job) ? (
        <>
          <ImportSteps current={2} status="error" />
          <Result
            status="warning"
            title={t('imp.interrupted')}
            subTitle={<span data-testid="import-failure">{job.message ?? t('imp.noReason')}</span>}
            extra={
              <Flex gap={8} wrap justify="center">
                <Button type="primary" icon={<RedoOutlined />} loading={committing} onClick={() => void commit()} data-testid="import-resume">
                  {t('imp.resume')}
                </Button>
                {againButton()}
              </Flex>
            }
            data-testid="import-failed"
          >
            <div className="zb-import-resume">
              <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                {t('imp.resumeHint', { n: job.rowsWritten.toLocaleString() })}
              </Typography.Paragraph>
              <RowProgress
                done={job.rowsWritten}
                total={writes}
                exception
                text={t('imp.rowsWritten', { n: job.rowsWritten.toLocaleString(), total: writes.toLocaleString() })}
              />
            </div>
          </Result>
          <JobFile job={job} />
        </>
      ) : (
        <>
          <ImportSteps current={1} status="error" />
          <Result
            status="error"
            title={t('imp.failed')}
            subTitle={<span data-testid="import-failure">{job.message ?? t('imp.noReason')}</span>}
            extra={
              <Flex gap={8} wrap justify="center">
                {againButton(true)}
                <TemplateButton kind={job.kind} />
              </Flex>
            }
            data-testid="import-failed"
          />
          <JobFile job={job} />
        </>
      );
      break;
  }

  return (
    <Flex vertical gap={16}>
      <Card className="zb-card">
        {body}
        {stale}
      </Card>
      {/* Final once the preview is done: shown through the commit and after it. */}
      {errors > 0 && job.status !== 'previewing' && <ImportErrorRows jobId={job.id} total={errors} />}
    </Flex>
  );
}

function JobFileText({ job }: { job: ImportJob }) {
  const t = useT();
  return (
    <>
      {t(KIND_LABELS[job.kind])} · <span className="zb-import-filename">{job.fileName}</span> ·{' '}
      <span className="zb-nowrap">
        {t('imp.uploadedAt')} {formatDateTime(job.createdAt)}
      </span>
    </>
  );
}

function JobFile({ job }: { job: ImportJob }) {
  const t = useT();
  const sheets = job.status === 'previewed' ? job.layout?.sheets.length : undefined;
  return (
    <Typography.Paragraph type="secondary" className="zb-import-file" data-testid="import-file">
      <FileExcelOutlined style={{ color: '#1d6f42', marginInlineEnd: 6 }} />
      <JobFileText job={job} />
      {/* Which sheet of several the preview read: the one whose header fits best, or the user's. */}
      {job.layout && sheets && sheets > 1 && (
        <>
          {' · '}
          <span className="zb-nowrap" data-testid="import-sheet-chosen">
            {t('imp.map.sheetChosen', { n: sheets, sheet: job.layout.sheet })}
          </span>
        </>
      )}
    </Typography.Paragraph>
  );
}

/** Rows done out of a total; without a total (a preview still reading), a bar that only says "working". */
function RowProgress({
  label,
  text,
  done = 0,
  total,
  exception = false,
  testId,
}: {
  label?: string;
  text: string;
  done?: number;
  total?: number;
  exception?: boolean;
  testId?: string;
}) {
  const percent = total ? Math.min(100, Math.floor((done / total) * 100)) : undefined;
  return (
    <div className="zb-import-progress" data-testid={testId}>
      {label && <Typography.Text strong>{label}</Typography.Text>}
      {percent === undefined ? (
        <div className="zb-indeterminate" role="progressbar" aria-label={label} aria-valuetext={text} />
      ) : (
        <Progress percent={percent} status={exception ? 'exception' : 'active'} aria-label={label} />
      )}
      <Typography.Text type="secondary" className="zb-import-progress-text">
        {text}
      </Typography.Text>
    </div>
  );
}

const COUNT_CARDS: { key: 'create' | 'update' | 'unchanged' | 'error'; label: MessageKey; color: string }[] = [
  { key: 'create', label: 'imp.count.create', color: '#389e0d' },
  { key: 'update', label: 'imp.count.update', color: '#0b57d0' },
  { key: 'unchanged', label: 'imp.count.unchanged', color: 'rgba(0, 0, 0, 0.55)' },
  { key: 'error', label: 'imp.count.error', color: '#cf1322' },
];

function CountCards({ counts }: { counts: ImportCounts }) {
  const t = useT();
  return (
    <div className="zb-import-counts">
      <Row gutter={[12, 12]}>
        {COUNT_CARDS.map((c) => (
          <Col key={c.key} xs={12} sm={6}>
            <Card size="small" className={`zb-import-count zb-import-count-${c.key}`} data-testid={`import-count-${c.key}`}>
              <Statistic title={t(c.label)} value={counts[c.key]} styles={{ content: { color: counts[c.key] > 0 ? c.color : undefined } }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Text type="secondary" className="zb-import-total">
        {t('imp.totalRows', { total: counts.total.toLocaleString() })}
      </Typography.Text>
    </div>
  );
}
