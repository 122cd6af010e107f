import { PlusOutlined } from '@ant-design/icons';
import { Button, Col, DatePicker, Form, Input, InputNumber, Modal, Progress, Row, Select, Switch } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { TableCard } from '../../components/TableCard';
import { formatDate } from '../../format';
import { useAsync, useDistricts, useIsPhone, useUrlParams } from '../../hooks';
import { useT } from '../../i18n';
import { useMe } from '../../session';
import { startsRounds } from './access';
import type { Completion, RoundSummary } from './model';

/** 评估轮次: the rounds the reader takes part in, newest first, with how many districts are complete; the city office starts one. */
export function RoundsView() {
  const t = useT();
  const me = useMe();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const { params, set } = useUrlParams();
  const page = Number(params.get('page') ?? 1);
  const [creating, setCreating] = useState(false);
  const list = useAsync((signal) => api.get<ListResult<RoundSummary>>('/api/risk-rounds', { page, pageSize: 20 }, signal), [page]);
  const columns: TableColumnsType<RoundSummary> = [
    { key: 'name', title: t('risk.round.name'), render: (_, r) => <Link to={`/risks/rounds/${r.id}`} data-testid="risk-round-link">{r.name}</Link> },
    { key: 'period', title: t('risk.round.period'), render: (_, r) => <span className="zb-nowrap">{`${r.from} — ${r.to}`}</span> },
    {
      key: 'complete',
      title: t('risk.round.complete'),
      render: (_, r) => (
        <div className="zb-risk-progress">
          <Progress percent={r.districts ? Math.round((r.complete / r.districts) * 100) : 0} size="small" format={() => `${r.complete}/${r.districts}`} />
        </div>
      ),
    },
    { key: 'rule', title: t('risk.round.rule'), render: (_, r) => t(r.needsReport ? 'risk.round.ruleReport' : 'risk.round.ruleItems', { n: r.minItems }) },
    { key: 'created', title: t('risk.round.createdAt'), render: (_, r) => formatDate(r.createdAt) },
  ];
  return (
    <>
      <PageHeader
        title={t('risk.view.rounds')}
        extra={
          startsRounds(me) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="risk-round-create">
              {t('risk.round.create')}
            </Button>
          )
        }
      />
      <TableCard<RoundSummary>
        list={list}
        columns={phone ? columns.filter((c) => ['name', 'complete'].includes(String(c.key))) : columns}
        empty={t('risk.round.none')}
        testId="risk-rounds"
        paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
        onRowClick={(r) => navigate(`/risks/rounds/${r.id}`)}
      />
      {creating && <CreateRoundModal onClose={() => setCreating(false)} onCreated={(c) => navigate(`/risks/rounds/${c.round.id}`)} />}
    </>
  );
}

interface RoundValues {
  name: string;
  period: [Dayjs, Dayjs];
  districtCodes?: string[];
  minItems: number;
  needsReport: boolean;
}

/** 发起评估轮次: the name, the period, the districts (every one when none is chosen) and what completes a district's part. */
function CreateRoundModal({ onClose, onCreated }: { onClose: () => void; onCreated: (c: Completion) => void }) {
  const t = useT();
  const districts = useDistricts();
  const [form] = Form.useForm<RoundValues>();
  const { busy, formError, onFinish } = useFormSubmit<RoundValues>(
    form,
    async (v) =>
      onCreated(
        await api.post<Completion>('/api/risk-rounds', {
          name: v.name.trim(),
          from: v.period[0].format('YYYY-MM-DD'),
          to: v.period[1].format('YYYY-MM-DD'),
          districtCodes: v.districtCodes?.length ? v.districtCodes : undefined,
          minItems: v.minItems,
          needsReport: v.needsReport,
        }),
      ),
    { pathAlias: { from: 'period', to: 'period' } },
  );
  return (
    <Modal open title={t('risk.round.create')} onCancel={onClose} onOk={() => form.submit()} okText={t('risk.round.start')} confirmLoading={busy} okButtonProps={{ 'data-testid': 'risk-round-create-submit' } as ButtonProps}>
      <FormError error={formError} />
      <Form<RoundValues> form={form} layout="vertical" initialValues={{ minItems: 1, needsReport: true }} onFinish={(v) => void onFinish(v)}>
        <Form.Item name="name" label={t('risk.round.name')} rules={[{ required: true, min: 2, message: t('common.required', { field: t('risk.round.name') }) }]}>
          <Input maxLength={100} placeholder={t('risk.round.namePh')} data-testid="risk-round-name" />
        </Form.Item>
        <Form.Item name="period" label={t('risk.round.period')} rules={[{ required: true, message: t('common.select', { field: t('risk.round.period') }) }]}>
          <DatePicker.RangePicker style={{ width: '100%' }} data-testid="risk-round-period" />
        </Form.Item>
        <Form.Item name="districtCodes" label={t('risk.round.districts')} extra={t('risk.round.districtsHint')}>
          <Select mode="multiple" allowClear loading={districts.loading} options={(districts.data ?? []).map((d) => ({ value: d.code, label: d.name }))} placeholder={t('risk.round.allDistricts')} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="minItems" label={t('risk.round.minItems')} rules={[{ required: true, message: t('common.required', { field: t('risk.round.minItems') }) }]}>
              <InputNumber min={0} max={100_000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="needsReport" label={t('risk.round.needsReport')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
