import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, DatePicker, Descriptions, Drawer, Form, Input, Radio, Select, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { ACCOUNTABILITY_KINDS, ACCOUNTABILITY_LABELS, TARGET_KINDS } from '../../../shared/contracts/assessment';
import type { Accountability } from '../../../shared/contracts/assessment';
import { shanghaiDate } from '../../../shared/dates';
import { api } from '../../api';
import { Clip } from '../../components/Clip';
import { EnterpriseSelect } from '../../components/EnterpriseSelect';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { FilterItem, ListPage } from '../../components/ListPage';
import type { FilterCodec, UrlParams } from '../../components/ListPage';
import { DistrictSelect } from '../../components/RegionSelects';
import { formatDate, formatDateTime, scopeOf } from '../../format';
import { useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Translate } from '../../i18n';
import { useMe } from '../../session';
import { FileLinks, FormDrawer, orUndefined } from '../accidents/fields';
import { isCityOffice, recordsAccountability } from './access';

const PLAIN_KEYS = ['q', 'kind', 'targetKind', 'districtCode', 'open'];
const KIND_COLORS: Record<Accountability['kind'], string> = { named: 'gold', notice: 'orange', interview: 'volcano', referral: 'red' };
const DAY = 'YYYY-MM-DD';

const codec: FilterCodec = {
  toForm: (p) => ({ ...Object.fromEntries(PLAIN_KEYS.map((k) => [k, p[k]])), range: p.from || p.to ? [p.from ? dayjs(p.from) : null, p.to ? dayjs(p.to) : null] : undefined }),
  toParams: (v) => {
    const out: UrlParams = {};
    for (const k of PLAIN_KEYS) if (typeof v[k] === 'string' && (v[k] as string).trim()) out[k] = (v[k] as string).trim();
    const range = v.range as [Dayjs | null, Dayjs | null] | undefined;
    if (range?.[0]) out.from = range[0].format(DAY);
    if (range?.[1]) out.to = range[1].format(DAY);
    return out;
  },
};

const targetKinds = (t: Translate) => TARGET_KINDS.map((k) => ({ value: k, label: t(k === 'district' ? 'asm.acc.targetDistrict' : 'asm.acc.targetEnterprise') }));

export function AccountabilityKindTag({ kind }: { kind: Accountability['kind'] }) {
  const { lang } = useLang();
  return <Tag color={KIND_COLORS[kind]}>{pick(lang, ACCOUNTABILITY_LABELS[kind])}</Tag>;
}

/** The follow-up a record asks for: not required, due by a date (overdue in red), or done. */
function FollowUpState({ r }: { r: Accountability }) {
  const t = useT();
  if (r.status === 'none_required') return <Typography.Text type="secondary">{t('asm.acc.noFollowUp')}</Typography.Text>;
  if (r.status === 'done') return <Tag color="success">{t('asm.acc.done', { date: formatDate(r.followUpAt) })}</Tag>;
  return <Tag color={r.overdue ? 'error' : 'processing'}>{t(r.overdue ? 'asm.acc.overdue' : 'asm.acc.due', { date: formatDate(r.followUpDue) })}</Tag>;
}

/** Where a record came from: the run or the accident it cites, opened from here. */
function SourceLink({ r }: { r: Accountability }) {
  if (!r.sourceType || !r.sourceId) return <>—</>;
  const to = r.sourceType === 'assessment_run' ? `/assessment/runs/${r.sourceId}` : `/accidents/${r.sourceId}`;
  return <Link to={to}>{r.sourceLabel ?? r.sourceId}</Link>;
}

/** 问责记录: 点名、通报、约谈、移交 in scope, with the follow-up each asks for; recorded by the offices, followed up by the unit named. */
export function AccountabilityView() {
  const t = useT();
  const me = useMe();
  const phone = useIsPhone();
  const [recording, setRecording] = useState(false);
  const [open, setOpen] = useState<Accountability | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const columns = useMemo<TableColumnsType<Accountability>>(
    () => [
      { key: 'onDate', title: t('asm.acc.onDate'), render: (_, r) => formatDate(r.onDate) },
      { key: 'kind', title: t('asm.acc.kind'), render: (_, r) => <AccountabilityKindTag kind={r.kind} /> },
      { key: 'target', title: t('asm.acc.target'), render: (_, r) => <Clip text={r.targetName} /> },
      { key: 'reason', title: t('asm.acc.reason'), render: (_, r) => <Clip text={r.reason} wide /> },
      { key: 'source', title: t('asm.acc.source'), render: (_, r) => <SourceLink r={r} /> },
      { key: 'by', title: t('asm.acc.byName'), dataIndex: 'byName' },
      { key: 'followUp', title: t('asm.acc.followUp'), render: (_, r) => <FollowUpState r={r} /> },
    ],
    [t],
  );
  const { lang } = useLang();
  const afterSave = () => {
    setRecording(false);
    setOpen(null);
    setReloadKey((k) => k + 1);
  };
  return (
    <>
      <ListPage<Accountability>
        title={t('asm.view.accountability')}
        endpoint="/api/accountability"
        columns={phone ? columns.filter((c) => ['onDate', 'kind', 'target', 'followUp'].includes(String(c.key))) : columns}
        rowKey="id"
        filterKeys={[...PLAIN_KEYS, 'from', 'to']}
        textKeys={['q']}
        codec={codec}
        reloadKey={reloadKey}
        onRowClick={setOpen}
        pinnedFilters={['kind', 'open']}
        testId="asm-acc-table"
        extra={
          recordsAccountability(me) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="asm-acc-record">
              {t('asm.acc.record')}
            </Button>
          )
        }
        filters={() => (
          <>
            <FilterItem name="q" label={t('common.search')} wide primary>
              <Input prefix={<SearchOutlined />} placeholder={t('asm.acc.searchPh')} allowClear />
            </FilterItem>
            <FilterItem name="kind" label={t('asm.acc.kind')}>
              <Select allowClear placeholder={t('common.all')} options={ACCOUNTABILITY_KINDS.map((k) => ({ value: k, label: pick(lang, ACCOUNTABILITY_LABELS[k]) }))} />
            </FilterItem>
            {me.role !== 'enterprise' && (
              <FilterItem name="targetKind" label={t('asm.acc.targetKind')}>
                <Select allowClear placeholder={t('common.all')} options={targetKinds(t)} />
              </FilterItem>
            )}
            {scopeOf(me.regionCode).level === 'city' && me.role !== 'enterprise' && (
              <FilterItem name="districtCode" label={t('asm.acc.district')}>
                <DistrictSelect placeholder={t('common.all')} />
              </FilterItem>
            )}
            <FilterItem name="open" label={t('asm.acc.openFilter')}>
              <Select allowClear placeholder={t('common.all')} options={[{ value: 'true', label: t('asm.acc.openYes') }, { value: 'false', label: t('asm.acc.openNo') }]} />
            </FilterItem>
            <FilterItem name="range" label={t('asm.acc.onDate')} wide>
              <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} inputReadOnly={phone} />
            </FilterItem>
          </>
        )}
      />
      {recording && <AccountabilityDrawer onClose={() => setRecording(false)} onSaved={afterSave} />}
      {open && <AccountabilityDetail record={open} onClose={() => setOpen(null)} onChanged={afterSave} />}
    </>
  );
}

export interface AccountabilityPreset {
  targetKind?: Accountability['targetKind'];
  districtCode?: string;
  enterpriseId?: string;
  sourceType?: 'assessment_run' | 'accident';
  sourceId?: string;
  sourceLabel?: string;
  reason?: string;
}

interface RecordValues {
  kind: Accountability['kind'];
  targetKind: Accountability['targetKind'];
  districtCode?: string;
  enterpriseId?: string;
  reason: string;
  onDate: Dayjs;
  byName: string;
  followUpDue?: Dayjs | null;
}

/** 登记问责: the kind, the district or enterprise named, the reason (a run or an accident as its source when opened from one), the date and who made it, the follow-up it asks for. */
export function AccountabilityDrawer({ preset = {}, onClose, onSaved }: { preset?: AccountabilityPreset; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const city = isCityOffice(me);
  const save = async (v: RecordValues) => {
    const district = v.targetKind === 'district';
    await api.post('/api/accountability', {
      kind: v.kind,
      targetKind: v.targetKind,
      districtCode: district ? v.districtCode : undefined,
      enterpriseId: district ? undefined : v.enterpriseId,
      reason: v.reason.trim(),
      sourceType: preset.sourceType,
      sourceId: preset.sourceId,
      onDate: v.onDate.format(DAY),
      byName: v.byName.trim(),
      followUpDue: v.followUpDue ? v.followUpDue.format(DAY) : undefined,
    });
    onSaved();
  };
  return (
    <FormDrawer<RecordValues>
      title={t('asm.acc.record')}
      onClose={onClose}
      save={save}
      testId="asm-acc-form"
      initialValues={{ kind: 'named', targetKind: city ? (preset.targetKind ?? 'district') : 'enterprise', districtCode: preset.districtCode, enterpriseId: preset.enterpriseId, reason: preset.reason, onDate: dayjs(shanghaiDate(new Date())), byName: me.regionName ?? '' }}
    >
      {preset.sourceLabel && (
        <Form.Item label={t('asm.acc.source')}>
          <Typography.Text>{preset.sourceLabel}</Typography.Text>
        </Form.Item>
      )}
      <Form.Item name="kind" label={t('asm.acc.kind')}>
        <Radio.Group optionType="button" options={ACCOUNTABILITY_KINDS.map((k) => ({ value: k, label: pick(lang, ACCOUNTABILITY_LABELS[k]) }))} data-testid="asm-acc-kind" />
      </Form.Item>
      <Form.Item name="targetKind" label={t('asm.acc.targetKind')}>
        <Radio.Group disabled={!city} options={targetKinds(t)} />
      </Form.Item>
      <TargetField />
      <Form.Item name="reason" label={t('asm.acc.reason')} rules={[{ required: true, min: 5, message: t('asm.acc.reasonPh') }]}>
        <Input.TextArea rows={3} maxLength={2000} placeholder={t('asm.acc.reasonPh')} data-testid="asm-acc-reason" />
      </Form.Item>
      <Space wrap size={12}>
        <Form.Item name="onDate" label={t('asm.acc.onDate')} rules={[{ required: true }]}>
          <DatePicker allowClear={false} />
        </Form.Item>
        <Form.Item name="byName" label={t('asm.acc.byName')} rules={[{ required: true, min: 2, message: t('common.required', { field: t('asm.acc.byName') }) }]}>
          <Input maxLength={100} style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="followUpDue" label={t('asm.acc.followUpDue')} extra={t('asm.acc.followUpDueHint')}>
          <DatePicker />
        </Form.Item>
      </Space>
    </FormDrawer>
  );
}

function TargetField() {
  const t = useT();
  const targetKind = Form.useWatch('targetKind') as RecordValues['targetKind'] | undefined;
  return targetKind === 'district' ? (
    <Form.Item name="districtCode" label={t('asm.acc.district')} rules={[{ required: true, message: t('common.select', { field: t('asm.acc.district') }) }]}>
      <DistrictSelect data-testid="asm-acc-district" />
    </Form.Item>
  ) : (
    <Form.Item name="enterpriseId" label={t('asm.acc.targetEnterprise')} rules={[{ required: true, message: t('common.select', { field: t('asm.acc.targetEnterprise') }) }]}>
      <EnterpriseSelect data-testid="asm-acc-enterprise" />
    </Form.Item>
  );
}

/** A record: what was decided and why, and its follow-up — submitted here by the unit named while it is open. */
function AccountabilityDetail({ record: r, onClose, onChanged }: { record: Accountability; onClose: () => void; onChanged: () => void }) {
  const t = useT();
  const phone = useIsPhone();
  const [following, setFollowing] = useState(false);
  return (
    <Drawer
      open
      title={`${r.targetName} · ${formatDate(r.onDate)}`}
      onClose={onClose}
      size={phone ? '100%' : 640}
      extra={
        r.allowed.includes('follow_up') && (
          <Button type="primary" onClick={() => setFollowing(true)} data-testid="asm-acc-followup">
            {t('asm.acc.submitFollowUp')}
          </Button>
        )
      }
      data-testid="asm-acc-detail"
    >
      <Descriptions
        bordered
        size="small"
        column={1}
        items={[
          { key: 'kind', label: t('asm.acc.kind'), children: <AccountabilityKindTag kind={r.kind} /> },
          { key: 'target', label: t('asm.acc.target'), children: r.enterpriseId ? <Link to={`/enterprises/${r.enterpriseId}`}>{r.targetName}</Link> : r.targetName },
          { key: 'reason', label: t('asm.acc.reason'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{r.reason}</span> },
          { key: 'source', label: t('asm.acc.source'), children: <SourceLink r={r} /> },
          { key: 'by', label: t('asm.acc.byName'), children: `${r.byName} · ${formatDate(r.onDate)}` },
          { key: 'followUp', label: t('asm.acc.followUp'), children: <FollowUpState r={r} /> },
          ...(r.followUpNote ? [{ key: 'note', label: t('asm.acc.followUpNote'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{r.followUpNote}</span> }] : []),
          ...(r.followUpFileIds.length
            ? [
                {
                  key: 'files',
                  label: t('asm.acc.evidence'),
                  children: <FileLinks ids={r.followUpFileIds} />,
                },
              ]
            : []),
          ...(r.followUpAt ? [{ key: 'at', label: t('asm.acc.followUpAt'), children: formatDateTime(r.followUpAt) }] : []),
        ]}
      />
      {following && (
        <FormDrawer<{ note: string; fileIds: string[] }>
          title={t('asm.acc.submitFollowUp')}
          onClose={() => setFollowing(false)}
          onConflict={onChanged}
          conflictText={{ title: t('asm.acc.conflict'), content: t('asm.acc.conflictText') }}
          testId="asm-acc-followup-form"
          save={async (v) => {
            await api.post(`/api/accountability/${encodeURIComponent(r.id)}/follow-up`, { version: r.version, note: orUndefined(v.note), fileIds: v.fileIds ?? [] });
            onChanged();
          }}
        >
          <Form.Item name="note" label={t('asm.acc.followUpNote')} rules={[{ required: true, min: 5, message: t('asm.acc.followUpNotePh') }]}>
            <Input.TextArea rows={4} maxLength={2000} placeholder={t('asm.acc.followUpNotePh')} />
          </Form.Item>
          <Form.Item name="fileIds" label={t('asm.acc.evidence')} rules={[{ required: true, type: 'array', min: 1, message: t('asm.acc.evidenceRequired') }]}>
            <EvidenceUpload />
          </Form.Item>
        </FormDrawer>
      )}
    </Drawer>
  );
}
