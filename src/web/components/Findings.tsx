import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Flex, Image, Input, Radio, Select, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { FindingsInput } from '../../shared/contracts/enforcement';
import type { HazardStatus, LedgerFinding } from '../../shared/contracts/hazards';
import { api, ApiError, fileUrl } from '../api';
import { problemText } from '../errors';
import { formatDate } from '../format';
import { useIsPhone } from '../hooks';
import { useLang, useT } from '../i18n';
import { GradeTag, StatusTag } from '../pages/hazards/HazardTags';
import { ClauseSelect } from './ClauseSelect';
import { EvidenceUpload } from './EvidenceUpload';
import { FormError } from './FormParts';

/** A checklist item a finding may be made on (its clause, cited by a major finding). */
export interface FindingItem {
  id: string;
  seq: number;
  text: string;
  clauseId: string | null;
}

interface Draft {
  key: number;
  description: string;
  grade: 'general' | 'major';
  clauseId?: string;
  location: string;
  deadline: dayjs.Dayjs | null;
  photos: string[];
  itemId?: string;
}
let draftKey = 0;
const blank = (): Draft => ({ key: ++draftKey, description: '', grade: 'general', location: '', deadline: null, photos: [] });

/**
 * Findings: several at once, each a hazard on the ledger when sent; the record's version guards
 * against a second phone. `deadlines`: a general finding may carry its rectification deadline (an
 * inspection's 指令书; an expert advises and the district orders).
 */
export function FindingsForm({ postUrl, version, items, deadlines, onDone }: { postUrl: string; version: number; items: FindingItem[]; deadlines?: boolean; onDone: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [drafts, setDrafts] = useState<Draft[]>(() => [blank()]);
  const [uploading, setUploading] = useState<Record<number, boolean>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const change = (key: number, patch: Partial<Draft>) => setDrafts((ds) => ds.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const submit = async () => {
    setError(null);
    setFieldErrors({});
    const findings: FindingsInput['findings'] = drafts.map((d) => {
      const item = items.find((it) => it.id === d.itemId);
      const clause = d.grade === 'major' ? (d.clauseId ?? item?.clauseId ?? undefined) : undefined;
      return {
        description: d.description.trim(),
        grade: d.grade,
        clauseIds: clause ? [clause] : undefined,
        location: d.location.trim() || undefined,
        deadline: deadlines && d.grade === 'general' && d.deadline ? d.deadline.format('YYYY-MM-DD') : undefined,
        attachmentIds: d.photos.length ? d.photos : undefined,
        itemId: d.itemId,
      };
    });
    setBusy(true);
    try {
      const r = await api.post<{ hazardIds: string[]; version: number }>(postUrl, { version, findings });
      message.success(t('enf.ins.findingsSaved', { n: r.hazardIds.length }));
      setDrafts([blank()]);
      setUploading({});
      onDone();
    } catch (err) {
      setError(problemText(err, lang, t));
      if (err instanceof ApiError && err.problem?.errors) setFieldErrors(Object.fromEntries(err.problem.errors.map((e) => [e.path.replace(/^body[./]/, ''), e.message])));
      if (err instanceof ApiError && err.code === 'VERSION_CONFLICT') onDone();
    } finally {
      setBusy(false);
    }
  };
  const ready = drafts.every((d) => d.description.trim().length >= 5);
  return (
    <Card size="small" className="zb-card" title={t('enf.ins.record')} data-testid="enf-ins-record">
      <Flex vertical gap={12}>
        {drafts.map((d, k) => {
          const err = (p: string) => fieldErrors[`findings.${k}.${p}`];
          const item = items.find((it) => it.id === d.itemId);
          return (
            <Card key={d.key} size="small" type="inner" title={t('enf.ins.findingN', { n: k + 1 })} extra={drafts.length > 1 && <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('enf.ins.remove')} onClick={() => setDrafts((ds) => ds.filter((x) => x.key !== d.key))} />} data-testid={`enf-finding-${k + 1}`}>
              <Flex vertical gap={8}>
                <Input.TextArea
                  rows={3}
                  maxLength={2000}
                  placeholder={t('sc.hazardDescriptionPh')}
                  aria-label={t('sc.hazardDescription')}
                  value={d.description}
                  status={err('description') ? 'error' : undefined}
                  onChange={(e) => change(d.key, { description: e.target.value })}
                  data-testid={`enf-finding-${k + 1}-description`}
                />
                {err('description') && <Typography.Text type="danger">{err('description')}</Typography.Text>}
                <Radio.Group
                  optionType="button"
                  value={d.grade}
                  onChange={(e) => change(d.key, { grade: e.target.value as Draft['grade'] })}
                  options={[
                    { value: 'general', label: t('sc.gradeGeneral') },
                    { value: 'major', label: t('sc.gradeMajor') },
                  ]}
                  data-testid={`enf-finding-${k + 1}-grade`}
                />
                {items.length > 0 && (
                  <Select
                    allowClear
                    placeholder={t('enf.ins.itemPh')}
                    value={d.itemId}
                    onChange={(v?: string) => change(d.key, { itemId: v })}
                    options={items.map((it) => ({ value: it.id, label: `${it.seq}. ${it.text}`.slice(0, 60) }))}
                  />
                )}
                {d.grade === 'major' && <Alert type="warning" showIcon title={item?.clauseId ? t('sc.majorHint') : t('sc.majorPick')} />}
                {d.grade === 'major' && !item?.clauseId && (
                  <ClauseSelect value={d.clauseId} onChange={(v) => change(d.key, { clauseId: v })} hint={d.description} data-testid={`enf-finding-${k + 1}-clause`} />
                )}
                {err('clauseIds') && <Typography.Text type="danger">{err('clauseIds')}</Typography.Text>}
                <Input placeholder={t('enf.ins.location')} maxLength={200} value={d.location} onChange={(e) => change(d.key, { location: e.target.value })} data-testid={`enf-finding-${k + 1}-location`} />
                {!deadlines ? null : d.grade === 'general' ? (
                  <DatePicker
                    placeholder={t('enf.ins.deadline')}
                    value={d.deadline}
                    onChange={(v) => change(d.key, { deadline: v })}
                    disabledDate={(x) => x.isBefore(dayjs().startOf('day'))}
                    inputReadOnly={phone}
                    style={{ width: '100%' }}
                    data-testid={`enf-finding-${k + 1}-deadline`}
                  />
                ) : (
                  <Typography.Text type="secondary">{t('enf.ins.majorDeadline')}</Typography.Text>
                )}
                {err('deadline') && <Typography.Text type="danger">{err('deadline')}</Typography.Text>}
                <EvidenceUpload photosOnly max={9} value={d.photos} onChange={(photos) => change(d.key, { photos })} onUploadingChange={(u) => setUploading((m) => ({ ...m, [d.key]: u }))} data-testid={`enf-finding-${k + 1}-photos`} />
              </Flex>
            </Card>
          );
        })}
        <FormError error={error} />
        <Flex gap={8} vertical={phone}>
          <Button icon={<PlusOutlined />} block={phone} onClick={() => setDrafts((ds) => [...ds, blank()])} data-testid="enf-finding-add">
            {t('enf.ins.addFinding')}
          </Button>
          <Button type="primary" block={phone} size={phone ? 'large' : 'middle'} loading={busy} disabled={!ready || Object.values(uploading).some(Boolean)} onClick={() => void submit()} data-testid="enf-finding-submit">
            {t('enf.ins.submitFindings', { n: drafts.length })}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}

/** The hazards a record found, each with its ledger code, as they stand now. */
export function FindingList({ findings }: { findings: LedgerFinding[] }) {
  const t = useT();
  return (
    <Flex vertical gap={10}>
      {findings.map((f) => (
        <div key={f.hazardId} className="zb-enf-finding" data-testid="enf-finding-row">
          <Flex gap={6} wrap align="center">
            <Link to={`/hazards/${f.hazardId}`} data-testid="enf-finding-link">
              {f.code}
            </Link>
            <GradeTag value={f.grade} />
            <StatusTag value={f.status as HazardStatus} />
            {f.clauseNos.map((no) => (
              <Tag key={no} color="geekblue">
                {t('sc.clause', { no })}
              </Tag>
            ))}
          </Flex>
          <div>{f.description}</div>
          <Typography.Text type="secondary">
            {[f.location, f.deadline ? t('enf.ins.deadlineOn', { date: formatDate(f.deadline) }) : null].filter(Boolean).join(' · ')}
          </Typography.Text>
          {f.attachmentIds.length > 0 && (
            <Image.PreviewGroup>
              <div className="zb-thumbs">
                {f.attachmentIds.map((a) => (
                  <Image key={a} src={fileUrl(a)} alt="" width={56} height={56} style={{ objectFit: 'cover', borderRadius: 6 }} data-testid="enf-finding-photo" />
                ))}
              </div>
            </Image.PreviewGroup>
          )}
        </div>
      ))}
    </Flex>
  );
}

