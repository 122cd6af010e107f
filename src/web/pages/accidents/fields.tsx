import { Col, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import type { ReactNode } from 'react';
import { ACCIDENT_CATEGORIES } from '../../../shared/contracts/accidents';
import { shanghaiDate } from '../../../shared/dates';
import { fileUrl } from '../../api';
import { DrawerFooter, FormError, useFormSubmit } from '../../components/FormParts';
import { useIsPhone } from '../../hooks';
import { useT } from '../../i18n';

/*
 * Parts the accident and assessment pages share: a form drawer, the accident's field groups,
 * attachment links, a year picker.
 */

/** A drawer holding one form that saves to the server: its field errors on the fields, the rest above; mounted only while open, so every opening starts fresh. */
export function FormDrawer<V>({
  title,
  onClose,
  save,
  initialValues,
  onConflict,
  conflictText,
  testId,
  submitText,
  children,
}: {
  title: ReactNode;
  onClose: () => void;
  save: (values: V) => Promise<unknown>;
  initialValues?: Partial<V>;
  /** someone else changed the record first: reload it */
  onConflict?: () => void;
  /** what the conflict says (an accident's words unless told) */
  conflictText?: { title: string; content: string };
  testId: string;
  submitText?: ReactNode;
  children: ReactNode;
}) {
  const t = useT();
  const phone = useIsPhone();
  const [form] = Form.useForm();
  const { busy, formError, onFinish } = useFormSubmit<V>(form, save, {
    onConflict: onConflict && { ...(conflictText ?? { title: t('acc.conflict.title'), content: t('acc.conflict.content') }), reload: onConflict },
  });
  return (
    <Drawer open title={title} onClose={onClose} size={phone ? '100%' : 640} footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy} submitText={submitText} testId={`${testId}-submit`} />}>
      <FormError error={formError} />
      <Form form={form} layout="vertical" initialValues={initialValues} onFinish={(v: V) => void onFinish(v)} data-testid={testId} scrollToFirstError>
        {children}
      </Form>
    </Drawer>
  );
}

/** Deaths, missing, the seriously injured and the direct loss: what the grade is computed from. */
export function CasualtyFields() {
  const t = useT();
  const count = (name: string, label: string, required = true) => (
    <Col xs={12} md={6}>
      <Form.Item name={name} label={label} rules={required ? [{ required: true, message: t('common.required', { field: label }) }] : undefined}>
        <InputNumber min={0} max={100_000} precision={0} style={{ width: '100%' }} data-testid={`acc-${name}`} />
      </Form.Item>
    </Col>
  );
  return (
    <Row gutter={12}>
      {count('deaths', t('acc.f.deaths'))}
      {count('missing', t('acc.f.missing'), false)}
      {count('seriousInjuries', t('acc.f.seriousInjuries'))}
      <Col xs={24} md={6}>
        <Form.Item name="directLossYuan" label={t('acc.f.directLoss')} rules={[{ required: true, message: t('common.required', { field: t('acc.f.directLoss') }) }]}>
          <InputNumber min={0} max={2_000_000_000} precision={0} style={{ width: '100%' }} data-testid="acc-directLossYuan" />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** What happened and where: the category, fire or road traffic (the shorter supplement window), the place and its coordinates, the narrative. */
export function DescriptionFields({ placeHint }: { placeHint?: string }) {
  const t = useT();
  return (
    <>
      <Row gutter={12}>
        <Col xs={24} md={14}>
          <Form.Item name="category" label={t('acc.f.category')} rules={[{ required: true, message: t('common.select', { field: t('acc.f.category') }) }]}>
            <Select showSearch options={ACCIDENT_CATEGORIES.map((c) => ({ value: c, label: c }))} data-testid="acc-category" />
          </Form.Item>
        </Col>
        <Col xs={24} md={10}>
          <Form.Item name="fireOrRoad" label={t('acc.f.fireOrRoad')} valuePropName="checked" tooltip={t('acc.f.fireOrRoadHint')}>
            <Switch />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="place" label={t('acc.f.place')} extra={placeHint}>
        <Input maxLength={200} data-testid="acc-place" />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="lng" label={t('acc.f.lng')}>
            <InputNumber min={73} max={136} step={0.000001} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="lat" label={t('acc.f.lat')}>
            <InputNumber min={3} max={54} step={0.000001} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="narrative" label={t('acc.f.narrative')} rules={[{ required: true, min: 10, message: t('acc.f.narrativePh') }]}>
        <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t('acc.f.narrativePh')} data-testid="acc-narrative" />
      </Form.Item>
    </>
  );
}

/** A note on a change: why the record changed (the timeline shows it). */
export function NoteField({ label, required }: { label: string; required?: boolean }) {
  const t = useT();
  return (
    <Form.Item name="note" label={label} rules={required ? [{ required: true, min: 2, message: t('common.required', { field: label }) }] : undefined}>
      <Input.TextArea rows={2} maxLength={500} data-testid="acc-note" />
    </Form.Item>
  );
}

/** An optional text left blank is sent as absent, not as an empty string the server would refuse. */
export const orUndefined = (s: unknown) => (typeof s === 'string' && s.trim() ? s.trim() : undefined);
/** An optional number left blank: absent. */
export const numOrUndefined = (n: unknown) => (typeof n === 'number' ? n : undefined);

export const accidentUrl = (id: string, rest = '') => `/api/accidents/${encodeURIComponent(id)}${rest}`;

/** Attachments as numbered links (附件1, 附件2 …), each opening the file. */
export function FileLinks({ ids }: { ids: string[] }) {
  const t = useT();
  return (
    <Space size={6} wrap>
      {ids.map((f, i) => (
        <Typography.Link key={f} href={fileUrl(f)} target="_blank" rel="noopener noreferrer">
          {t('acc.fileN', { n: i + 1 })}
        </Typography.Link>
      ))}
    </Space>
  );
}

/** This (Shanghai) year and the five before: the years a trend, a scheme or a run may be for. */
export function recentYears(): number[] {
  const year = Number(shanghaiDate(new Date()).slice(0, 4));
  return Array.from({ length: 6 }, (_, i) => year - i);
}

/** One of the recent years. */
export function YearSelect({ value, onChange, testId }: { value: number; onChange: (year: number) => void; testId?: string }) {
  const t = useT();
  return <Select value={value} onChange={onChange} options={recentYears().map((y) => ({ value: y, label: t('acc.tr.yearN', { year: y }) }))} style={{ width: 110 }} data-testid={testId} />;
}
