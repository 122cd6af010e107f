import { App, Button, Col, DatePicker, Drawer, Form, Input, Row, Select, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { ChecklistSummary, Schedule } from '../../../shared/contracts/checklists';
import { SELF_CHECK_FREQUENCIES } from '../../../shared/contracts/checklists';
import type { StandardSummary } from '../../../shared/contracts/standards';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { DrawerFooter, FormError, useFormSubmit } from '../../components/FormParts';
import { DistrictSelect, IndustrySelect, StreetSelect } from '../../components/RegionSelects';
import { TableCard } from '../../components/TableCard';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';
import { useMe } from '../../session';
import { formatDate, scopeOf } from '../../format';


/** 检查表与自查计划: the checklists the caller may use (one generated from a judgement standard in two clicks) and the schedules of their organisation. */
export function PlansView() {
  const t = useT();
  const me = useMe();
  // Inspectors and experts read the checklists; they neither publish nor schedule.
  const mayPlan = !['inspector', 'expert'].includes(me.role);
  const mayGenerate = mayPlan && me.role !== 'enterprise';
  const checklists = useAsync((signal) => api.get<ListResult<ChecklistSummary>>('/api/checklists', { pageSize: 100 }, signal), []);
  const schedules = useAsync((signal) => api.get<ListResult<Schedule>>('/api/selfcheck-schedules', undefined, signal), []);
  const [generate, setGenerate] = useState(false);
  const [schedule, setSchedule] = useState<string | null>(null);

  const checklistColumns: TableColumnsType<ChecklistSummary> = [
    { key: 'title', title: t('sc.col.checklist'), dataIndex: 'title' },
    { key: 'owner', title: t('sc.plan.owner'), render: (_, c) => `${t(`sc.owner.${c.ownerLevel}`)} · ${c.ownerName}` },
    { key: 'items', title: t('sc.plan.items'), dataIndex: 'itemCount', align: 'right' },
    { key: 'version', title: t('sc.plan.version'), render: (_, c) => `v${c.version}` },
    { key: 'standard', title: t('sc.plan.fromStandard'), render: (_, c) => (c.standardId ? <Tag color="geekblue">{c.standardId}</Tag> : '—') },
    {
      key: 'go',
      title: '',
      render: (_, c) =>
        mayPlan && (
          <Button size="small" onClick={() => setSchedule(c.id)} data-testid="sc-plan-schedule">
            {t('sc.plan.schedule')}
          </Button>
        ),
    },
  ];
  const scheduleColumns: TableColumnsType<Schedule> = [
    { key: 'title', title: t('sc.col.checklist'), dataIndex: 'checklistTitle' },
    { key: 'freq', title: t('sc.plan.frequency'), render: (_, s) => t(`sc.freq.${s.frequency}`) },
    { key: 'start', title: t('sc.plan.start'), render: (_, s) => formatDate(s.startDate) },
    { key: 'n', title: t('sc.f.enterprises'), dataIndex: 'enterprises', align: 'right' },
  ];

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <TableCard
          title={t('sc.plan.checklists')}
          extra={
            mayGenerate && (
              <Button type="primary" size="small" onClick={() => setGenerate(true)} data-testid="sc-plan-generate">
                {t('sc.plan.generate')}
              </Button>
            )
          }
          list={checklists}
          columns={checklistColumns}
          empty={t('sc.plan.noChecklists')}
          testId="sc-checklist-table"
        />
      </Col>
      <Col xs={24}>
        <TableCard title={t('sc.plan.schedules')} list={schedules} columns={scheduleColumns} empty={t('sc.plan.noSchedules')} testId="sc-schedule-table" />
      </Col>
      {generate && <GenerateDrawer onClose={() => setGenerate(false)} onDone={checklists.reload} />}
      {schedule && <ScheduleDrawer checklistId={schedule} checklists={checklists.data?.items ?? []} onClose={() => setSchedule(null)} onDone={schedules.reload} />}
    </Row>
  );
}

function GenerateDrawer({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ standardId: string; title: string }>();
  const { busy, formError, onFinish } = useFormSubmit<{ standardId: string; title: string }>(form, async (v) => {
    await api.post('/api/checklists/from-standard', v);
    message.success(t('sc.plan.generated'));
    onDone();
    onClose();
  });
  const standards = useAsync((signal) => api.get<ListResult<StandardSummary>>('/api/standards', undefined, signal), []);
  return (
    <Drawer open title={t('sc.plan.generate')} onClose={onClose} size={520} footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy} submitText={t('sc.plan.generate')} testId="sc-generate-submit" />}>
      <FormError error={formError} />
      <Form form={form} layout="vertical" onFinish={onFinish}>
        <Form.Item name="standardId" label={t('sc.plan.standard')} rules={[{ required: true, message: t('sc.plan.standardRequired') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={standards.loading}
            options={(standards.data?.items ?? []).filter((s) => !s.status).map((s) => ({ value: s.id, label: s.title }))}
            onChange={(id) => {
              const s = standards.data?.items.find((x) => x.id === id);
              if (s && !form.getFieldValue('title')) form.setFieldValue('title', `${s.title.replace(/判定标准$/, '')}自查表`.slice(0, 100));
            }}
            data-testid="sc-generate-standard"
          />
        </Form.Item>
        <Form.Item name="title" label={t('sc.plan.title')} rules={[{ required: true, min: 2, message: t('sc.plan.titleRequired') }]}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

interface ScheduleForm {
  checklistId: string;
  frequency: Schedule['frequency'];
  startDate: dayjs.Dayjs;
  districtCode?: string;
  streetCode?: string;
  industryCode?: string;
}

function ScheduleDrawer({ checklistId, checklists, onClose, onDone }: { checklistId: string; checklists: ChecklistSummary[]; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const scope = scopeOf(me.regionCode);
  const [form] = Form.useForm<ScheduleForm>();
  const district = Form.useWatch('districtCode', form);
  const { busy, formError, onFinish } = useFormSubmit<ScheduleForm>(
    form,
    async (v) => {
      // Only what was chosen: an enterprise schedules itself; officers choose a region or an industry.
      const filter = Object.fromEntries(Object.entries({ districtCode: v.districtCode, streetCode: v.streetCode, industryCode: v.industryCode }).filter(([, x]) => !!x));
      const made = await api.post<Schedule>('/api/selfcheck-schedules', { checklistId: v.checklistId, frequency: v.frequency, startDate: v.startDate.format('YYYY-MM-DD'), ...(me.role === 'enterprise' || !Object.keys(filter).length ? {} : { filter }) });
      message.success(t('sc.plan.scheduled', { n: made.enterprises }));
      onDone();
      onClose();
    },
    { pathAlias: { 'filter.districtCode': 'districtCode', 'filter.streetCode': 'streetCode', 'filter.industryCode': 'industryCode' } },
  );
  return (
    <Drawer open title={t('sc.plan.schedule')} onClose={onClose} size={520} footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy} submitText={t('sc.plan.schedule')} testId="sc-schedule-submit" />}>
      <FormError error={formError} />
      <Form<ScheduleForm>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onValuesChange={(changed) => {
          if ('districtCode' in changed && !scope.streetCode) form.setFieldValue('streetCode', undefined);
        }}
        initialValues={{ checklistId, frequency: 'monthly', startDate: dayjs(), districtCode: scope.districtCode, streetCode: scope.streetCode }}>
        <Form.Item name="checklistId" label={t('sc.col.checklist')} rules={[{ required: true }]}>
          <Select options={checklists.map((c) => ({ value: c.id, label: c.title }))} />
        </Form.Item>
        <Form.Item name="frequency" label={t('sc.plan.frequency')} rules={[{ required: true }]}>
          <Select options={SELF_CHECK_FREQUENCIES.map((f) => ({ value: f, label: t(`sc.freq.${f}`) }))} />
        </Form.Item>
        <Form.Item name="startDate" label={t('sc.plan.start')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        {me.role !== 'enterprise' && (
          <>
        <Form.Item name="districtCode" label={t('sc.plan.district')}>
          <DistrictSelect disabled={!!scope.districtCode} />
        </Form.Item>
        <Form.Item name="streetCode" label={t('sc.plan.street')}>
          <StreetSelect districtCode={district} disabled={!!scope.streetCode || !district} />
        </Form.Item>
        <Form.Item name="industryCode" label={t('sc.plan.industry')} extra={t('sc.plan.scopeHint')}>
          <IndustrySelect sectionsSelectable />
        </Form.Item>
          </>
        )}
      </Form>
    </Drawer>
  );
}
