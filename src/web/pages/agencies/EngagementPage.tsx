import { PaperClipOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Empty, Flex, Input, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ENGAGEMENT_STATUS_LABELS, SERVICE_TYPE_LABELS } from '../../../shared/contracts/agencies';
import type { EngagementDetail } from '../../../shared/contracts/agencies';
import { api, ApiError, fileUrl } from '../../api';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { ErrorState, PageLoading } from '../../components/Feedback';
import { FindingList, FindingsForm } from '../../components/Findings';
import { FormError, useAction } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { formatDate } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { RecordTimeline } from '../enforcement/CasesView';
import { AgencyWarnings } from './AgenciesPage';

const EVENTS = ['engage', 'findings', 'conclude'] as const;

/** 委托服务: the engagement, the agency's findings onto the ledger, its report filed; any inspection that contradicted it. */
export default function EngagementPage() {
  const { id } = useParams<{ id: string }>();
  const t = useT();
  const { lang } = useLang();
  const detail = useAsync((signal) => api.get<EngagementDetail>(`/api/agency-engagements/${encodeURIComponent(id ?? '')}`, undefined, signal), [id]);
  if (detail.error && !detail.loading) return <ErrorState error={detail.error} onRetry={detail.reload} />;
  if (!detail.data) return <PageLoading />;
  const e = detail.data;
  return (
    <div className="zb-page zb-enf-inspection">
      <PageHeader
        title={`${e.enterpriseName} · ${e.agencyName}`}
        subTitle={`${e.code} · ${pick(lang, SERVICE_TYPE_LABELS[e.serviceType])} · ${formatDate(e.from)} — ${formatDate(e.to)}`}
        tags={<Tag color={e.status === 'concluded' ? 'green' : 'blue'} data-testid="ag-eng-status">{pick(lang, ENGAGEMENT_STATUS_LABELS[e.status])}</Tag>}
        backTo="/agencies?view=engagements"
      />
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <AgencyWarnings warnings={e.agencyWarnings} />
        {e.contradictedBy.length > 0 && (
          <Alert
            type="warning"
            showIcon
            title={t('ag.eng.contradictedBy')}
            description={
              <Space wrap>
                {e.contradictedBy.map((c) => (
                  <Link key={c.hazardId} to={`/hazards/${c.hazardId}`}>{`${c.hazardCode}（${formatDate(c.foundOn)}）`}</Link>
                ))}
              </Space>
            }
            data-testid="ag-eng-contradicted"
          />
        )}
        <Card size="small" className="zb-card">
          <Flex vertical gap={6}>
            <Link to={`/agencies?id=${encodeURIComponent(e.agencyId)}`}>{t('ag.eng.openAgency')}</Link>
            {e.warningsAcknowledged.length > 0 && <Typography.Text type="secondary">{`${t('ag.eng.acknowledged')}：${e.warningsAcknowledged.join('；')}`}</Typography.Text>}
            {e.concludedOn && <Typography.Text>{`${t('ag.eng.concludedOn')}：${formatDate(e.concludedOn)}`}</Typography.Text>}
            {e.conclusion && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{`${t('ag.eng.conclusion')}：${e.conclusion}`}</Typography.Paragraph>}
            {e.files.length > 0 && (
              <Space wrap>
                {e.files.map((f, k) => (
                  <a key={f.fileId} href={fileUrl(f.fileId)} target="_blank" rel="noreferrer" data-testid="ag-eng-file">
                    <PaperClipOutlined /> {`${t(`ag.eng.file.${f.kind}`)} ${k + 1}`}
                  </a>
                ))}
              </Space>
            )}
          </Flex>
        </Card>
        {e.mayRecord && (
          <Card size="small" className="zb-card" title={t('ag.eng.record')} data-testid="ag-eng-record">
            <FindingsForm postUrl={`/api/agency-engagements/${encodeURIComponent(e.id)}/findings`} version={e.version} items={[]} onDone={detail.reload} />
          </Card>
        )}
        <Card size="small" className="zb-card" title={t('ag.eng.findings', { n: e.findingsList.length })} data-testid="ag-eng-findings">
          {e.findingsList.length ? <FindingList findings={e.findingsList} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ag.eng.noFindings')} />}
        </Card>
        {e.mayConclude && <ConcludeCard engagement={e} onChanged={detail.reload} />}
        {e.events.length > 0 && (
          <Card size="small" className="zb-card" title={t('ag.eng.events')}>
            <RecordTimeline events={e.events.map((x) => ({ ...x, data: null }))} label={(a) => ((EVENTS as readonly string[]).includes(a) ? t(`ag.eng.event.${a as (typeof EVENTS)[number]}`) : a)} />
          </Card>
        )}
      </Space>
    </div>
  );
}

function ConcludeCard({ engagement: e, onChanged }: { engagement: EngagementDetail; onChanged: () => void }) {
  const t = useT();
  const phone = useIsPhone();
  const [date, setDate] = useState(dayjs());
  const [conclusion, setConclusion] = useState('');
  const [fileIds, setFileIds] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const { busy, error, run } = useAction();
  const send = async () => {
    const body = { version: e.version, concludedOn: date.format('YYYY-MM-DD'), conclusion: conclusion.trim(), fileIds };
    if (await run(() => api.post(`/api/agency-engagements/${encodeURIComponent(e.id)}/actions/conclude`, body), t('ag.eng.concluded'), (err) => err instanceof ApiError && err.code === 'VERSION_CONFLICT' && onChanged())) onChanged();
  };
  return (
    <Card size="small" className="zb-card" title={t('ag.eng.conclude')} data-testid="ag-eng-conclude">
      <Flex vertical gap={10}>
        <FormError error={error} />
        <Typography.Text>{t('ag.eng.concludedOn')}</Typography.Text>
        <DatePicker value={date} inputReadOnly={phone} allowClear={false} onChange={(d) => d && setDate(d)} disabledDate={(d) => d.isAfter(dayjs().endOf('day')) || d.isBefore(dayjs(e.from).startOf('day'))} />
        <Typography.Text>{t('ag.eng.conclusion')}</Typography.Text>
        <Input.TextArea rows={3} maxLength={2000} placeholder={t('ag.eng.conclusionPh')} value={conclusion} onChange={(x) => setConclusion(x.target.value)} data-testid="ag-eng-conclusion" />
        <Typography.Text>{t('ag.eng.report')}</Typography.Text>
        <EvidenceUpload value={fileIds} onChange={setFileIds} onUploadingChange={setUploading} data-testid="ag-eng-report" />
        <Button type="primary" size={phone ? 'large' : 'middle'} block={phone} disabled={!fileIds.length || conclusion.trim().length < 2 || uploading} loading={busy} onClick={() => void send()} data-testid="ag-eng-conclude-submit">
          {t('ag.eng.concludeSubmit')}
        </Button>
      </Flex>
    </Card>
  );
}
