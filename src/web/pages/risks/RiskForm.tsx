import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, Col, DatePicker, Flex, Form, Input, InputNumber, Radio, Row, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import type { ListResult } from '../../api';
import { api } from '../../api';
import { RISK_METHOD_LABELS, RISK_METHODS } from '../../../shared/contracts/risks';
import type { RiskDetail, RiskMethod } from '../../../shared/contracts/risks';
import { EnterprisesSelect } from '../../components/EnterpriseSelect';
import { DistrictSelect, StreetSelect } from '../../components/RegionSelects';
import { scopeOf } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { FormDrawer, NoteField, orUndefined } from '../accidents/fields';
import { METHOD_INPUTS, previewScore, RISK_TYPES } from './methods';
import type { RoundSummary } from './model';
import { riskUrl } from './model';

const DAY = 'YYYY-MM-DD';

interface MeasureValues {
  measure: string;
  owner: string;
  deadline?: Dayjs | null;
}

interface Values {
  name: string;
  type: string;
  districtCode: string;
  streetCode?: string | null;
  place?: string;
  lng?: number | null;
  lat?: number | null;
  enterpriseIds?: string[];
  method: RiskMethod;
  /** LEC's factors are typed or picked as text (any positive number); the scales are numbers */
  inputs: Record<string, string | number | undefined>;
  measures?: MeasureValues[];
  reviewOn?: Dayjs | null;
  roundId?: string | null;
  note?: string;
}

type Body = Record<string, unknown>;

const numbers = (inputs: Values['inputs']) => Object.fromEntries(Object.entries(inputs ?? {}).map(([k, v]) => [k, typeof v === 'string' ? Number(v) : v]));
const measuresOf = (ms: MeasureValues[] | undefined) => (ms ?? []).map((m) => ({ measure: m.measure.trim(), owner: m.owner.trim(), deadline: m.deadline ? m.deadline.format(DAY) : null }));

/** The whole item as the API takes it (a new one). */
function bodyOf(v: Values): Body {
  return {
    name: v.name.trim(),
    type: v.type.trim(),
    districtCode: v.districtCode,
    streetCode: v.streetCode ?? null,
    place: orUndefined(v.place) ?? null,
    lng: v.lng ?? null,
    lat: v.lat ?? null,
    enterpriseIds: v.enterpriseIds ?? [],
    method: v.method,
    inputs: numbers(v.inputs),
    measures: measuresOf(v.measures),
    reviewOn: v.reviewOn ? v.reviewOn.format(DAY) : null,
    roundId: v.roundId ?? null,
  };
}

/** JSON with object keys in order: two answers compare equal whatever order their keys came in. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}

/** What an edit changed, and only that: an unchanged method and inputs are not assessed again. */
function changesOf(v: Values, r: RiskDetail): Body {
  const next = bodyOf(v);
  const was: Body = {
    name: r.name,
    type: r.type,
    districtCode: r.districtCode,
    streetCode: r.streetCode,
    place: r.place,
    lng: r.lng,
    lat: r.lat,
    enterpriseIds: r.enterprises.map((e) => e.id),
    method: r.method,
    inputs: r.inputs,
    measures: r.measures.map(({ measure, owner, deadline }) => ({ measure, owner, deadline: deadline ?? null })),
    reviewOn: r.reviewOn,
    roundId: r.roundId,
  };
  const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
  const out: Body = {};
  for (const k of Object.keys(next)) {
    if (k === 'enterpriseIds' ? same([...(next[k] as string[])].sort(), [...(was[k] as string[])].sort()) : same(next[k], was[k])) continue;
    out[k] = next[k];
  }
  // A new method or new inputs are assessed together.
  if ('method' in out || 'inputs' in out) Object.assign(out, { method: next.method, inputs: next.inputs });
  return out;
}

function initialOf(r: RiskDetail): Partial<Values> {
  return {
    name: r.name,
    type: r.type,
    districtCode: r.districtCode,
    streetCode: r.streetCode,
    place: r.place ?? undefined,
    lng: r.lng,
    lat: r.lat,
    enterpriseIds: r.enterprises.map((e) => e.id),
    method: r.method,
    inputs: r.method === 'lec' ? Object.fromEntries(Object.entries(r.inputs).map(([k, n]) => [k, String(n)])) : r.inputs,
    measures: r.measures.map((m) => ({ measure: m.measure, owner: m.owner, deadline: m.deadline ? dayjs(m.deadline) : null })),
    reviewOn: r.reviewOn ? dayjs(r.reviewOn) : null,
    roundId: r.roundId,
  };
}

/**
 * 新增风险 / 编辑风险: the place, the enterprises concerned, the method and its inputs (the level is the
 * server's to compute), the control measures, the review date and the round. An edit sends what changed.
 */
export function RiskFormDrawer({ risk, onClose, onSaved, onConflict }: { risk?: RiskDetail; onClose: () => void; onSaved: (r: RiskDetail) => void; onConflict?: () => void }) {
  const t = useT();
  const me = useMe();
  const scope = scopeOf(me.regionCode);
  const save = async (v: Values) => {
    if (!risk) return onSaved(await api.post<RiskDetail>('/api/risks', bodyOf(v)));
    const changes = changesOf(v, risk);
    onSaved(await api.patch<RiskDetail>(riskUrl(risk.id), { ...changes, version: risk.version, note: orUndefined(v.note) }));
  };
  return (
    <FormDrawer<Values>
      title={risk ? t('risk.edit') : t('risk.create')}
      onClose={onClose}
      save={save}
      testId="risk-form"
      onConflict={onConflict}
      conflictText={{ title: t('risk.conflict.title'), content: t('risk.conflict.content') }}
      initialValues={risk ? initialOf(risk) : { method: 'lec', inputs: {}, districtCode: scope.districtCode, streetCode: scope.streetCode, measures: [] }}
    >
      <Form.Item name="name" label={t('risk.f.name')} rules={[{ required: true, min: 2, message: t('risk.f.nameRule') }]}>
        <Input maxLength={100} data-testid="risk-name" />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="type" label={t('risk.f.type')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('risk.f.type') }) }]}>
            <AutoComplete options={RISK_TYPES.map((x) => ({ value: x }))} maxLength={30} data-testid="risk-type" />
          </Form.Item>
        </Col>
        <PlaceFields lockedDistrict={scope.level !== 'city'} lockedStreet={scope.level === 'street'} />
      </Row>
      <Form.Item name="place" label={t('risk.f.place')}>
        <Input maxLength={200} data-testid="risk-place" />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="lng" label={t('risk.f.lng')} extra={t('risk.f.coordsHint')}>
            <InputNumber min={120} max={123} step={0.000001} style={{ width: '100%' }} data-testid="risk-lng" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="lat" label={t('risk.f.lat')}>
            <InputNumber min={30} max={32.5} step={0.000001} style={{ width: '100%' }} data-testid="risk-lat" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="enterpriseIds" label={t('risk.f.enterprises')}>
        <EnterprisesSelect known={risk?.enterprises} placeholder={t('risk.f.enterprisesPh')} data-testid="risk-enterprises" />
      </Form.Item>
      <MethodFields />
      <MeasureFields />
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="reviewOn" label={t('risk.f.reviewOn')}>
            <DatePicker style={{ width: '100%' }} data-testid="risk-review-on" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <RoundField />
        </Col>
      </Row>
      {risk && <NoteField label={t('risk.f.note')} />}
    </FormDrawer>
  );
}

function PlaceFields({ lockedDistrict, lockedStreet }: { lockedDistrict: boolean; lockedStreet: boolean }) {
  const t = useT();
  const form = Form.useFormInstance();
  const districtCode = Form.useWatch('districtCode', form) as string | undefined;
  return (
    <>
      <Col xs={24} md={8}>
        <Form.Item name="districtCode" label={t('risk.f.district')} rules={[{ required: true, message: t('common.select', { field: t('risk.f.district') }) }]}>
          <DistrictSelect disabled={lockedDistrict} onChange={() => form.setFieldValue('streetCode', undefined)} data-testid="risk-district" />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item name="streetCode" label={t('risk.f.street')}>
          <StreetSelect districtCode={districtCode} disabled={lockedStreet} />
        </Form.Item>
      </Col>
    </>
  );
}

/** The method, then its inputs; the level is the server's. */
function MethodFields() {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const form = Form.useFormInstance();
  const method = (Form.useWatch('method', form) ?? 'lec') as RiskMethod;
  const inputs = Form.useWatch('inputs', form) as Values['inputs'] | undefined;
  const score = previewScore(method, inputs && numbers(inputs));
  return (
    <div>
      <Alert type="info" showIcon title={t('risk.f.levelHint')} style={{ marginBottom: 12 }} data-testid="risk-level-hint" />
      <Form.Item name="method" label={t('risk.f.method')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          onChange={() => form.setFieldValue('inputs', {})}
          options={RISK_METHODS.map((m) => ({ value: m, label: <span title={pick(lang, RISK_METHOD_LABELS[m])}>{t(`risk.methodShort.${m}`)}</span> }))}
          data-testid="risk-method"
        />
      </Form.Item>
      <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>
        {pick(lang, RISK_METHOD_LABELS[method])}
      </Typography.Paragraph>
      <Row gutter={12}>
        {METHOD_INPUTS[method].map((f) => (
          <Col key={`${method}-${f.key}`} xs={24} md={method === 'lec' ? 8 : 12}>
            <Form.Item
              name={['inputs', f.key]}
              label={pick(lang, f.label)}
              rules={[
                { required: true, message: t('common.required', { field: pick(lang, f.short) }) },
                ...(f.choices ? [{ validator: async (_: unknown, v: unknown) => (v === undefined || v === '' || Number(v) > 0 ? undefined : Promise.reject(new Error(t('risk.f.positive')))) }] : []),
              ]}
              extra={f.choices && <ChoiceMeaning field={f.key} choices={f.choices} />}
            >
              {f.choices ? (
                <AutoComplete
                  options={f.choices.map((c) => ({ value: String(c.value), label: `${c.value} — ${pick(lang, c.label)}` }))}
                  popupMatchSelectWidth={phone ? true : 260}
                  data-testid={`risk-input-${f.key}`}
                />
              ) : (
                <Radio.Group optionType="button" options={[1, 2, 3, 4, 5].map((n) => ({ value: n, label: String(n) }))} data-testid={`risk-input-${f.key}`} />
              )}
            </Form.Item>
          </Col>
        ))}
      </Row>
      {method !== 'matrix' && (
        <Typography.Paragraph data-testid="risk-score-preview">
          {score === null ? t('risk.f.previewEmpty') : t('risk.f.preview', { formula: method === 'lec' ? 'D = L × E × C' : 'R = L × S', score })}
        </Typography.Paragraph>
      )}
    </div>
  );
}

/** What the LEC value chosen means in the classic table, under its field. */
function ChoiceMeaning({ field, choices }: { field: string; choices: { value: number; label: { zh: string; en: string } }[] }) {
  const { lang } = useLang();
  const value = Form.useWatch(['inputs', field]) as string | undefined;
  const c = choices.find((x) => String(x.value) === String(value ?? '').trim());
  return c ? pick(lang, c.label) : null;
}

/** 管控措施: what is done, by whom, by when. */
function MeasureFields() {
  const t = useT();
  return (
    <Form.Item label={t('risk.f.measures')}>
      <Form.List name="measures">
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.map((f) => (
              <Flex key={f.key} gap={8} wrap align="flex-start">
                <Form.Item name={[f.name, 'measure']} rules={[{ required: true, min: 2, message: t('risk.f.measureRule') }]} style={{ flex: '3 1 220px', marginBottom: 0 }}>
                  <Input placeholder={t('risk.f.measure')} maxLength={300} data-testid="risk-measure" />
                </Form.Item>
                <Form.Item name={[f.name, 'owner']} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('risk.f.owner') }) }]} style={{ flex: '2 1 140px', marginBottom: 0 }}>
                  <Input placeholder={t('risk.f.owner')} maxLength={50} data-testid="risk-measure-owner" />
                </Form.Item>
                <Form.Item name={[f.name, 'deadline']} style={{ flex: '1 1 130px', marginBottom: 0 }}>
                  <DatePicker placeholder={t('risk.f.deadline')} style={{ width: '100%' }} />
                </Form.Item>
                <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(f.name)} aria-label={t('risk.f.removeMeasure')} title={t('risk.f.removeMeasure')} />
              </Flex>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ measure: '', owner: '' })} disabled={fields.length >= 30} data-testid="risk-add-measure">
              {t('risk.f.addMeasure')}
            </Button>
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  );
}

/** The rounds the item's district takes part in. */
function RoundField() {
  const t = useT();
  const districtCode = Form.useWatch('districtCode') as string | undefined;
  const rounds = useAsync((signal) => api.get<ListResult<RoundSummary>>('/api/risk-rounds', { pageSize: 50 }, signal), []);
  const options = (rounds.data?.items ?? []).filter((r) => !districtCode || r.districtCodes.includes(districtCode)).map((r) => ({ value: r.id, label: r.name }));
  return (
    <Form.Item name="roundId" label={t('risk.f.round')}>
      <Select allowClear loading={rounds.loading} placeholder={t('risk.f.noRound')} options={options} data-testid="risk-round" />
    </Form.Item>
  );
}
