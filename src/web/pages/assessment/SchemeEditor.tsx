import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Drawer, Flex, Form, Input, InputNumber, Row, Select, Typography } from 'antd';
import type { FormInstance } from 'antd';
import type { ReactNode } from 'react';
import type { ComputableIndicator, Scheme, ScoringRule, VetoRule } from '../../../shared/contracts/assessment';
import { ACCIDENT_GRADE_LABELS } from '../../../shared/contracts/accidents';
import { api, ApiError } from '../../api';
import { DrawerFooter, FormError, useFormSubmit } from '../../components/FormParts';
import { useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { schemeUrl, WeightSum } from './SchemeParts';
import { ruleText } from './words';

// The form's shape: one flat rule and one flat veto whatever their kind (the fields of the other
// kinds stay empty), a band's share as a percentage.
interface RuleValues {
  kind: ScoringRule['kind'];
  zeroAt?: number;
  fullAt?: number;
  perItem?: number;
  bands?: { from?: number; percent?: number }[];
}
interface IndicatorValues {
  key: string;
  name: string;
  weight: number;
  sourceKind: 'computed' | 'entered';
  indicator?: string;
  rule: RuleValues;
  ifNoData: 'full' | 'zero';
}
interface VetoValues {
  kind: VetoRule['kind'];
  grade?: 'larger' | 'major' | 'extraordinary';
  count?: number;
  cap: string;
}
interface Values {
  title: string;
  note?: string;
  indicators: IndicatorValues[];
  grades: { grade: string; from: number }[];
  vetoes: VetoValues[];
}

function toForm(s: Scheme): Values {
  return {
    title: s.title,
    note: s.note,
    indicators: s.indicators.map((i) => ({
      key: i.key,
      name: i.name,
      weight: i.weight,
      sourceKind: i.source.kind,
      indicator: i.source.kind === 'computed' ? i.source.indicator : undefined,
      rule: formRule(i.rule),
      ifNoData: i.ifNoData,
    })),
    grades: s.grades,
    vetoes: s.vetoes.map((v) => ({ ...v })),
  };
}

const formRule = (r: ScoringRule): RuleValues => (r.kind === 'bands' ? { kind: 'bands', bands: r.bands.map((b) => ({ from: b.from, percent: Math.round(b.share * 10000) / 100 })) } : { ...r });

/** The rule as the API takes it, or null while the form is still missing a number. */
function apiRule(r: RuleValues | undefined): ScoringRule | null {
  if (!r) return null;
  if (r.kind === 'linear') return r.zeroAt === undefined || r.fullAt === undefined || r.zeroAt === null || r.fullAt === null ? null : { kind: 'linear', zeroAt: r.zeroAt, fullAt: r.fullAt };
  if (r.kind === 'deduction') return typeof r.perItem === 'number' ? { kind: 'deduction', perItem: r.perItem } : null;
  const bands = (r.bands ?? []).filter((b) => typeof b.from === 'number' && typeof b.percent === 'number').map((b) => ({ from: b.from!, share: b.percent! / 100 }));
  return bands.length ? { kind: 'bands', bands } : null;
}

function apiVeto(v: VetoValues): VetoRule {
  if (v.kind === 'accident_at_least') return { kind: v.kind, grade: v.grade ?? 'larger', cap: v.cap };
  if (v.kind === 'overdue_major_above') return { kind: v.kind, count: v.count ?? 0, cap: v.cap };
  return { kind: v.kind, cap: v.cap };
}

/**
 * Field errors inside the lists (indicators.2.weight): the form names them with numbers, the
 * server's paths with text, so they are put on the fields here; the rest go on as usual.
 */
function onListFields(form: FormInstance, err: unknown): unknown {
  if (!(err instanceof ApiError) || !err.problem?.errors) return err;
  const rest = [];
  const fields = [];
  for (const e of err.problem.errors) {
    const path = e.path.replace(/^body[./]/, '').split(/[./]/).filter(Boolean);
    if (path.length > 1 && /^\d+$/.test(path[1])) fields.push({ name: path.map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [e.message] });
    else rest.push(e);
  }
  if (fields.length) form.setFields(fields);
  return new ApiError(err.status, { ...err.problem, errors: rest }, err.message);
}

/** The scheme's editor (the city office): indicators with weights summing to 100, grade bands, vetoes. Saving the shipped example adopts it as the year's scheme. */
export function SchemeEditor({ scheme, indicators, onClose, onSaved }: { scheme: Scheme; indicators?: Map<string, ComputableIndicator>; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const phone = useIsPhone();
  const [form] = Form.useForm<Values>();
  const watched = Form.useWatch('indicators', form) as IndicatorValues[] | undefined;
  const grades = (Form.useWatch('grades', form) as Values['grades'] | undefined) ?? scheme.grades;
  const sum = (watched ?? []).reduce((a, i) => a + (typeof i?.weight === 'number' ? i.weight : 0), 0);
  const { busy, formError, onFinish } = useFormSubmit<Values>(
    form,
    async (v) => {
      const body = {
        version: scheme.version,
        title: v.title.trim(),
        note: (v.note ?? '').trim(),
        indicators: v.indicators.map((i) => ({
          key: i.key.trim(),
          name: i.name.trim(),
          weight: i.weight,
          source: i.sourceKind === 'computed' ? { kind: 'computed', indicator: i.indicator } : { kind: 'entered' },
          rule: apiRule(i.rule),
          ifNoData: i.ifNoData,
        })),
        grades: v.grades,
        vetoes: v.vetoes.map(apiVeto),
      };
      try {
        await api.put(schemeUrl(scheme.year), body);
      } catch (err) {
        throw onListFields(form, err);
      }
      onSaved();
    },
    { onConflict: { title: t('asm.scheme.conflict'), content: t('asm.scheme.conflictText'), reload: onSaved } },
  );
  return (
    <Drawer
      open
      title={t('asm.scheme.editTitle', { year: scheme.year })}
      onClose={onClose}
      size={phone ? '100%' : 980}
      footer={
        <Flex justify="space-between" align="center" gap={8}>
          <WeightSum sum={sum} />
          <DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy} testId="asm-scheme-save" />
        </Flex>
      }
    >
      {scheme.example && <Alert type="info" showIcon title={t('asm.scheme.adoptHint')} style={{ marginBottom: 12 }} />}
      <FormError error={formError} />
      <Form<Values> form={form} layout="vertical" initialValues={toForm(scheme)} onFinish={(v) => void onFinish(v)} scrollToFirstError data-testid="asm-scheme-form">
        <Form.Item name="title" label={t('asm.scheme.titleField')} rules={[{ required: true, min: 2, message: t('common.required', { field: t('asm.scheme.titleField') }) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="note" label={t('asm.scheme.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('asm.scheme.indicators', { n: watched?.length ?? 0 })}
          </Typography.Title>
          <WeightSum sum={sum} />
        </Flex>
        <Form.List
          name="indicators"
          rules={[
            {
              validator: async (_, list: IndicatorValues[] | undefined) => {
                const total = (list ?? []).reduce((a, i) => a + (i?.weight ?? 0), 0);
                if (Math.abs(total - 100) >= 0.005) throw new Error(t('asm.scheme.weightsMust', { n: Math.round(total * 100) / 100 }));
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <Flex vertical gap={8}>
              <ListErrors errors={errors} />
              {fields.map((f, i) => (
                <IndicatorCard key={f.key} index={i} name={f.name} indicators={indicators} onRemove={() => remove(f.name)} />
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ sourceKind: 'entered', rule: { kind: 'linear', zeroAt: 0, fullAt: 1 }, ifNoData: 'full', weight: 0 })} data-testid="asm-ind-add">
                {t('asm.scheme.addIndicator')}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('asm.scheme.grades')}
        </Typography.Title>
        <Form.List name="grades">
          {(fields, { add, remove }, { errors }) => (
            <Flex vertical gap={4}>
              {fields.map((f) => (
                <Flex key={f.key} gap={8} align="start">
                  <Form.Item name={[f.name, 'grade']} rules={[{ required: true, message: t('asm.scheme.gradeName') }]} style={{ marginBottom: 8, flex: 1 }}>
                    <Input placeholder={t('asm.scheme.gradeName')} maxLength={20} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'from']} rules={[{ required: true, message: t('asm.scheme.gradeFrom') }]} style={{ marginBottom: 8 }}>
                    <InputNumber min={0} max={100} prefix="≥" suffix={t('asm.points')} placeholder={t('asm.scheme.gradeFrom')} style={{ width: 160 }} />
                  </Form.Item>
                  <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('asm.remove')} onClick={() => remove(f.name)} disabled={fields.length <= 2} />
                </Flex>
              ))}
              <ListErrors errors={errors} />
              <Button icon={<PlusOutlined />} onClick={() => add()} style={{ alignSelf: 'flex-start' }}>
                {t('asm.scheme.addGrade')}
              </Button>
            </Flex>
          )}
        </Form.List>
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('asm.scheme.vetoes')}
        </Typography.Title>
        <Form.List name="vetoes">
          {(fields, { add, remove }, { errors }) => (
            <Flex vertical gap={4}>
              {fields.map((f) => (
                <VetoRow key={f.key} name={f.name} grades={grades.map((g) => g?.grade).filter(Boolean)} onRemove={() => remove(f.name)} />
              ))}
              <ListErrors errors={errors} />
              <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'concealed_accident', cap: grades[1]?.grade })} style={{ alignSelf: 'flex-start' }}>
                {t('asm.scheme.addVeto')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}

/** A list's own errors (the weights' total, too few grades), red above or below it. */
function ListErrors({ errors }: { errors: ReactNode[] }) {
  return errors.length ? <Typography.Text type="danger">{errors}</Typography.Text> : null;
}

/** One indicator: its name and key, weight, where its value comes from, how it scores (in words below, as it is typed). */
function IndicatorCard({ index, name, indicators, onRemove }: { index: number; name: number; indicators?: Map<string, ComputableIndicator>; onRemove: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const form = Form.useFormInstance<Values>();
  const row = Form.useWatch(['indicators', name], form) as IndicatorValues | undefined;
  const computed = row?.sourceKind === 'computed' ? indicators?.get(row.indicator ?? '') : undefined;
  const rule = apiRule(row?.rule);
  const pickIndicator = (key: string) => {
    const c = indicators?.get(key);
    if (!c) return;
    const cur = form.getFieldValue(['indicators', name]) as IndicatorValues;
    form.setFieldValue(['indicators', name], { ...cur, name: cur.name || pick(lang, c.title).slice(0, 60), key: cur.key || key.toLowerCase().replace(/[^a-z0-9_.-]/g, '_').slice(0, 60), rule: formRule(c.suggestedRule) });
  };
  const req = (field: string) => [{ required: true, message: t('common.required', { field }) }];
  return (
    <Card size="small" type="inner" title={`${index + 1}. ${row?.name ?? ''}`} extra={<Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('asm.remove')} onClick={onRemove} />} data-testid={`asm-ind-${index + 1}`}>
      <Row gutter={8}>
        <Col xs={24} md={9}>
          <Form.Item name={[name, 'name']} label={t('asm.ind.name')} rules={req(t('asm.ind.name'))}>
            <Input maxLength={60} />
          </Form.Item>
        </Col>
        <Col xs={12} md={9}>
          <Form.Item name={[name, 'key']} label={t('asm.ind.key')} rules={req(t('asm.ind.key'))}>
            <Input maxLength={60} className="zb-mono" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name={[name, 'weight']} label={t('asm.ind.weight')} rules={req(t('asm.ind.weight'))}>
            <InputNumber min={0} max={100} step={1} style={{ width: '100%' }} data-testid={`asm-ind-${index + 1}-weight`} />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item name={[name, 'sourceKind']} label={t('asm.ind.source')}>
            <Select options={[{ value: 'computed', label: t('asm.ind.computed') }, { value: 'entered', label: t('asm.ind.entered') }]} />
          </Form.Item>
        </Col>
        {row?.sourceKind === 'computed' && (
          <Col xs={24} md={18}>
            <Form.Item name={[name, 'indicator']} label={t('asm.ind.indicator')} rules={req(t('asm.ind.indicator'))} extra={computed?.note}>
              <Select showSearch={{ optionFilterProp: 'label' }} onChange={pickIndicator} options={[...(indicators?.values() ?? [])].map((c) => ({ value: c.key, label: pick(lang, c.title) }))} />
            </Form.Item>
          </Col>
        )}
      </Row>
      <RuleFields name={name} unit={computed?.unit} />
      <Typography.Text type="secondary">{rule ? ruleText(t, rule, computed?.unit) : t('asm.rule.incomplete')}</Typography.Text>
    </Card>
  );
}

/** The rule's kind and its numbers; a band's share as a percentage of the weight. */
function RuleFields({ name, unit }: { name: number; unit?: ComputableIndicator['unit'] }) {
  const t = useT();
  const kind = Form.useWatch(['indicators', name, 'rule', 'kind']) as RuleValues['kind'] | undefined;
  const valueHint = unit === 'rate' ? t('asm.rule.rateHint') : unit === 'change' ? t('asm.rule.changeHint') : undefined;
  return (
    <Row gutter={8}>
      <Col xs={24} md={6}>
        <Form.Item name={[name, 'rule', 'kind']} label={t('asm.ind.rule')}>
          <Select options={(['linear', 'bands', 'deduction'] as const).map((k) => ({ value: k, label: t(`asm.rule.${k}`) }))} />
        </Form.Item>
      </Col>
      {kind === 'linear' && (
        <>
          <Col xs={12} md={6}>
            <Form.Item name={[name, 'rule', 'zeroAt']} label={t('asm.rule.zeroAt')} extra={valueHint}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name={[name, 'rule', 'fullAt']} label={t('asm.rule.fullAt')}>
              <InputNumber style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </>
      )}
      {kind === 'deduction' && (
        <Col xs={12} md={6}>
          <Form.Item name={[name, 'rule', 'perItem']} label={t('asm.rule.perItem')}>
            <InputNumber min={0.01} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      )}
      {kind === 'bands' && (
        <Col xs={24} md={12}>
          <Form.List name={[name, 'rule', 'bands']}>
            {(fields, { add, remove }) => (
              <Flex vertical gap={0}>
                <Typography.Text>{t('asm.rule.bandsLabel')}</Typography.Text>
                {fields.map((f) => (
                  <Flex key={f.key} gap={6} align="start">
                    <Form.Item name={[f.name, 'from']} style={{ marginBottom: 6 }}>
                      <InputNumber prefix="≥" placeholder={t('asm.rule.from')} style={{ width: 130 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'percent']} style={{ marginBottom: 6 }}>
                      <InputNumber min={0} max={100} suffix="%" placeholder={t('asm.rule.share')} style={{ width: 110 }} />
                    </Form.Item>
                    <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('asm.remove')} onClick={() => remove(f.name)} />
                  </Flex>
                ))}
                <Button size="small" icon={<PlusOutlined />} onClick={() => add()} style={{ alignSelf: 'flex-start', marginBottom: 8 }}>
                  {t('asm.rule.addBand')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Col>
      )}
      <Col xs={12} md={6}>
        <Form.Item name={[name, 'ifNoData']} label={t('asm.ind.noDataField')}>
          <Select options={(['full', 'zero'] as const).map((k) => ({ value: k, label: t(`asm.ind.ifNoData.${k}`) }))} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** A veto: its condition (and the accident grade or the count it needs) and the grade it caps at. */
function VetoRow({ name, grades, onRemove }: { name: number; grades: string[]; onRemove: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const kind = Form.useWatch(['vetoes', name, 'kind']) as VetoValues['kind'] | undefined;
  return (
    <Flex gap={8} wrap align="start">
      <Form.Item name={[name, 'kind']} style={{ marginBottom: 8, minWidth: 220 }}>
        <Select options={(['accident_at_least', 'concealed_accident', 'overdue_major_above'] as const).map((k) => ({ value: k, label: t(`asm.veto.${k}`) }))} />
      </Form.Item>
      {kind === 'accident_at_least' && (
        <Form.Item name={[name, 'grade']} initialValue="larger" style={{ marginBottom: 8, width: 150 }}>
          <Select options={(['larger', 'major', 'extraordinary'] as const).map((g) => ({ value: g, label: pick(lang, ACCIDENT_GRADE_LABELS[g]) }))} />
        </Form.Item>
      )}
      {kind === 'overdue_major_above' && (
        <Form.Item name={[name, 'count']} initialValue={0} style={{ marginBottom: 8 }}>
          <InputNumber min={0} precision={0} prefix=">" suffix={t('asm.veto.items')} style={{ width: 130 }} />
        </Form.Item>
      )}
      <Form.Item name={[name, 'cap']} rules={[{ required: true, message: t('asm.veto.cap') }]} style={{ marginBottom: 8, width: 170 }}>
        <Select placeholder={t('asm.veto.cap')} options={grades.map((g) => ({ value: g, label: t('asm.veto.capAt', { grade: g }) }))} />
      </Form.Item>
      <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('asm.remove')} onClick={onRemove} />
    </Flex>
  );
}
