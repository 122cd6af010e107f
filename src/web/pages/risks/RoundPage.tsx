import { ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Form, Input, Modal, Progress, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { RISK_LEVEL_LABELS, RISK_LEVELS } from '../../../shared/contracts/risks';
import { api, fileUrl } from '../../api';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { ErrorState, PageLoading } from '../../components/Feedback';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { submitsFor } from './access';
import { roundUrl } from './model';
import type { Completion, DistrictCompletion } from './model';
import { LEVEL_COLORS } from './tags';
import './risks.css';

/** A round's completion per district: the items assessed in it by level, the submission and its report, what is still missing. */
export default function RoundPage() {
  const { id = '' } = useParams<{ id: string }>();
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const [submitting, setSubmitting] = useState<DistrictCompletion | null>(null);
  const completion = useAsync((signal) => api.get<Completion>(roundUrl(id, '/completion'), undefined, signal), [id]);
  if (completion.error && !completion.loading) return <ErrorState error={completion.error} onRetry={completion.reload} />;
  const c = completion.data;
  if (!c) return <PageLoading />;
  const { round } = c;
  const columns: TableColumnsType<DistrictCompletion> = [
    { key: 'district', title: t('risk.col.district'), dataIndex: 'districtName', render: (v: string) => <strong>{v}</strong> },
    { key: 'items', title: t('risk.round.items'), align: 'right', dataIndex: 'items' },
    {
      key: 'byLevel',
      title: t('risk.round.byLevel'),
      render: (_, d) => (
        <Flex gap={10} className="zb-nowrap">
          {RISK_LEVELS.map((l) => (
            <span key={l} title={pick(lang, RISK_LEVEL_LABELS[l])}>
              <span className="zb-risk-dot" style={{ background: LEVEL_COLORS[l] }} /> {d.byLevel[l]}
            </span>
          ))}
        </Flex>
      ),
    },
    {
      key: 'submitted',
      title: t('risk.round.submitted'),
      render: (_, d) =>
        d.submittedAt ? (
          <Flex vertical>
            <span className="zb-nowrap">{formatDateTime(d.submittedAt)}</span>
            {d.submittedBy && <Typography.Text type="secondary">{d.submittedBy}</Typography.Text>}
          </Flex>
        ) : (
          <Typography.Text type="secondary">{t('risk.round.notSubmitted')}</Typography.Text>
        ),
    },
    {
      key: 'report',
      title: t('risk.round.report'),
      render: (_, d) =>
        d.reportFileId ? (
          <Typography.Link href={fileUrl(d.reportFileId)} target="_blank" rel="noopener noreferrer" data-testid="risk-round-report">
            {t('risk.round.openReport')}
          </Typography.Link>
        ) : (
          '—'
        ),
    },
    {
      key: 'complete',
      title: t('risk.round.state'),
      render: (_, d) =>
        d.complete ? (
          <Tag color="success" data-testid="risk-round-complete">
            {t('risk.round.done')}
          </Tag>
        ) : (
          <Flex vertical gap={2} data-testid="risk-round-missing">
            {d.missing.map((m) => (
              <Typography.Text key={m} type="warning">
                {m}
              </Typography.Text>
            ))}
          </Flex>
        ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      render: (_, d) =>
        !d.submittedAt && submitsFor(me, d.districtCode) ? (
          <Button size="small" type="primary" icon={<UploadOutlined />} onClick={() => setSubmitting(d)} data-testid="risk-round-submit">
            {t('risk.round.submit')}
          </Button>
        ) : null,
    },
  ];
  const shown = phone ? columns.filter((col) => ['district', 'items', 'complete', 'actions'].includes(String(col.key))) : columns;
  return (
    <div className="zb-page" data-testid="risk-round">
      <PageHeader
        title={round.name}
        subTitle={`${round.from} — ${round.to} · ${t(round.needsReport ? 'risk.round.ruleReport' : 'risk.round.ruleItems', { n: round.minItems })}`}
        backTo="/risks?view=rounds"
        extra={<Button icon={<ReloadOutlined />} onClick={completion.reload} aria-label={t('common.reload')} title={t('common.reload')} />}
      />
      <Card className="zb-card" size="small" title={t('risk.round.completion')} extra={<span data-testid="risk-round-summary">{t('risk.round.completeOf', { complete: c.complete, total: c.total })}</span>}>
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Progress percent={c.total ? Math.round((c.complete / c.total) * 100) : 0} status={c.complete === c.total ? 'success' : 'active'} />
          <Table<DistrictCompletion>
            rowKey="districtCode"
            size="small"
            columns={shown}
            dataSource={c.districts}
            pagination={false}
            scroll={{ x: 'max-content' }}
            rowClassName={(d) => (d.complete ? '' : 'zb-risk-incomplete')}
            data-testid="risk-round-table"
          />
        </Space>
      </Card>
      {submitting && (
        <SubmitModal
          roundId={round.id}
          district={submitting}
          needsReport={round.needsReport}
          onClose={() => setSubmitting(null)}
          onSubmitted={() => {
            setSubmitting(null);
            completion.reload();
          }}
        />
      )}
    </div>
  );
}

interface SubmitValues {
  report?: string[];
  note?: string;
}

/** 提交评估成果: the district's report (uploaded first) and a note; the items assessed are counted at the server now. Once only. */
function SubmitModal({ roundId, district, needsReport, onClose, onSubmitted }: { roundId: string; district: DistrictCompletion; needsReport: boolean; onClose: () => void; onSubmitted: () => void }) {
  const t = useT();
  const [form] = Form.useForm<SubmitValues>();
  const [uploading, setUploading] = useState(false);
  const { busy, formError, onFinish } = useFormSubmit<SubmitValues>(
    form,
    async (v) => {
      await api.post(roundUrl(roundId, '/submissions'), { districtCode: district.districtCode, reportFileId: v.report?.[0] ?? null, note: v.note?.trim() || null });
      onSubmitted();
    },
    { pathAlias: { reportFileId: 'report' } },
  );
  return (
    <Modal
      open
      title={t('risk.round.submitTitle', { district: district.districtName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okText={t('risk.round.submit')}
      okButtonProps={{ disabled: uploading, 'data-testid': 'risk-round-submit-ok' } as ButtonProps}
    >
      <Typography.Paragraph type="secondary">{t('risk.round.submitHint', { n: district.items })}</Typography.Paragraph>
      <FormError error={formError} />
      <Form<SubmitValues> form={form} layout="vertical" onFinish={(v) => void onFinish(v)}>
        <Form.Item name="report" label={t('risk.round.report')} rules={needsReport ? [{ required: true, type: 'array', min: 1, message: t('risk.round.reportRequired') }] : undefined}>
          <EvidenceUpload max={1} onUploadingChange={setUploading} data-testid="risk-round-report-upload" />
        </Form.Item>
        <Form.Item name="note" label={t('risk.round.note')}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
