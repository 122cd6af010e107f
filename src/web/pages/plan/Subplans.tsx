import { PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Col, DatePicker, Drawer, Flex, Form, Input, Row, Select, Typography } from 'antd';
import type { FormInstance, TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { z } from 'zod';
import { REPORT_EVERY, REPORT_EVERY_LABELS } from '../../../shared/contracts/tasks';
import type { PlanTree, ReportEvery, Subplan, TreeTask } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { api, fileUrl } from '../../api';
import type { ListResult } from '../../api';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { DrawerFooter, FormError, useFormSubmit } from '../../components/FormParts';
import { TableCard } from '../../components/TableCard';
import { formatDate } from '../../format';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { afterToday, measureName, MeasureSelect, MilestoneList, RemovableCard, UnitLink } from './shared';

type SubplanView = z.infer<typeof Subplan>;

/** 行动子方案: the units' sub-plans (one unit's on its page), each with its document and the number of tasks it adds. */
export function SubplansCard({
  query,
  withUnit = true,
  title,
  extra,
  reloadKey = 0,
  testId = 'plan-sp-table',
}: {
  query: { planId?: string; districtCode?: string; departmentId?: string };
  withUnit?: boolean;
  title: ReactNode;
  extra?: ReactNode;
  reloadKey?: number;
  testId?: string;
}) {
  const t = useT();
  const [page, setPage] = useState(1);
  const list = useAsync((signal) => api.get<ListResult<SubplanView>>('/api/plan-subplans', { ...query, page, pageSize: 20 }, signal), [JSON.stringify(query), page, reloadKey]);
  const columns: TableColumnsType<SubplanView> = [
    ...(withUnit ? [{ key: 'unit', title: t('plan.unit'), render: (_: unknown, s: SubplanView) => <UnitLink unit={s.unit} /> }] : []),
    {
      key: 'title',
      title: t('plan.sp.title'),
      render: (_, s) => (
        <span data-testid="plan-sp-row">
          {s.title}
          {s.fileId && (
            <a href={fileUrl(s.fileId)} target="_blank" rel="noopener noreferrer" style={{ marginInlineStart: 8 }} data-testid="plan-sp-file">
              <PaperClipOutlined /> {t('plan.sp.file')}
            </a>
          )}
        </span>
      ),
    },
    { key: 'docNo', title: t('plan.sp.docNo'), render: (_, s) => s.docNo ?? '—' },
    { key: 'published', title: t('plan.sp.publishedOn'), render: (_, s) => formatDate(s.publishedOn) },
    { key: 'tasks', title: t('plan.sp.tasks'), align: 'right', render: (_, s) => s.tasks },
  ];
  return <TableCard<SubplanView> title={title} extra={extra} list={list} columns={columns} empty={t('plan.sp.none')} testId={testId} paging={{ page, onChange: setPage }} />;
}

interface TaskValues {
  measureNo: number;
  parentId?: string;
  title: string;
  dueOn?: dayjs.Dayjs;
  reportEvery: ReportEvery;
  milestones?: { title: string; dueOn: dayjs.Dayjs }[];
}
interface PublishValues {
  title: string;
  docNo?: string;
  publishedOn: dayjs.Dayjs;
  file?: string[];
  tasks?: TaskValues[];
}

const blankTask = { reportEvery: 'quarterly' as ReportEvery };

/** 发布子方案: the unit's document and the tasks it adds, each under a measure of the city's plan (and, if it refines one, under a city task of that measure). */
export function PublishSubplanDrawer({ planId, onClose, onDone }: { planId: string; onClose: () => void; onDone: (s: SubplanView) => void }) {
  const t = useT();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [form] = Form.useForm<PublishValues>();
  const [uploading, setUploading] = useState(false);
  // The plan's own tree, unfiltered: its measures and the city's tasks under each, for the pickers.
  const tree = useAsync((signal) => api.get<PlanTree>(`/api/plans/${encodeURIComponent(planId)}/tree`, undefined, signal), [planId]);
  const { busy, formError, onFinish } = useFormSubmit<PublishValues>(
    form,
    async (v) => {
      const made = await api.post<SubplanView>('/api/plan-subplans', {
        planId,
        title: v.title.trim(),
        docNo: v.docNo?.trim() || undefined,
        publishedOn: v.publishedOn.format('YYYY-MM-DD'),
        fileId: v.file?.[0],
        tasks: (v.tasks ?? []).map((x) => ({
          measureNo: x.measureNo,
          parentId: x.parentId,
          title: x.title.trim(),
          dueOn: x.dueOn?.format('YYYY-MM-DD'),
          reportEvery: x.reportEvery,
          milestones: (x.milestones ?? []).map((m) => ({ title: m.title.trim(), dueOn: m.dueOn.format('YYYY-MM-DD') })),
        })),
      });
      void message.success(t('plan.sp.published', { n: made.tasks }));
      onDone(made);
    },
    { pathAlias: { fileId: 'file' } },
  );
  const required = (field: string) => [{ required: true, whitespace: true, message: t('common.required', { field }) }];
  return (
    <Drawer
      open
      title={t('plan.sp.publish')}
      size={phone ? '100%' : 720}
      onClose={onClose}
      footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy || uploading} submitText={t('plan.sp.publishSubmit')} testId="plan-sp-submit" />}
      data-testid="plan-sp-drawer"
    >
      <Form form={form} layout="vertical" initialValues={{ publishedOn: dayjs(shanghaiDate(new Date())), tasks: [blankTask] }} onFinish={(v) => void onFinish(v)}>
        <FormError error={formError} />
        <Row gutter={12}>
          <Col xs={24}>
            <Form.Item name="title" label={t('plan.sp.title')} rules={[...required(t('plan.sp.title')), { min: 2, message: t('common.required', { field: t('plan.sp.title') }) }]}>
              <Input maxLength={200} placeholder={t('plan.sp.titlePh')} data-testid="plan-sp-title" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="docNo" label={t('plan.sp.docNo')}>
              <Input maxLength={60} placeholder={t('plan.sp.docNoPh')} data-testid="plan-sp-docno" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="publishedOn" label={t('plan.sp.publishedOn')} rules={[{ required: true, message: t('common.select', { field: t('plan.sp.publishedOn') }) }]}>
              <DatePicker style={{ width: '100%' }} disabledDate={afterToday} inputReadOnly={phone} data-testid="plan-sp-published" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="file" label={t('plan.sp.file')} extra={t('upload.fileTypes')}>
              <EvidenceUpload max={1} onUploadingChange={setUploading} data-testid="plan-sp-upload" />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('plan.sp.tasksTitle')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ margin: '2px 0 8px' }}>
          {t('plan.sp.tasksHelp')}
        </Typography.Paragraph>
        {tree.error && !tree.loading ? (
          <ErrorState error={tree.error} onRetry={tree.reload} />
        ) : !tree.data ? (
          <BlockLoading />
        ) : (
          <Form.List name="tasks">
            {(fields, { add, remove }) => (
              <Flex vertical gap={8}>
                {fields.map((f, i) => (
                  <RemovableCard key={f.key} title={t('plan.sp.taskN', { n: i + 1 })} onRemove={() => remove(f.name)} testId={`plan-sp-task-${i + 1}`}>
                    <TaskFields form={form} name={f.name} tree={tree.data!} />
                  </RemovableCard>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(blankTask)} disabled={fields.length >= 200} data-testid="plan-sp-add-task">
                  {t('plan.sp.addTask')}
                </Button>
              </Flex>
            )}
          </Form.List>
        )}
      </Form>
    </Drawer>
  );
}

/** One task of the sub-plan: its measure, the city task it may refine, its title, deadline, reporting and milestones. */
function TaskFields({ form, name, tree }: { form: FormInstance<PublishValues>; name: number; tree: PlanTree }) {
  const t = useT();
  const { lang } = useLang();
  const measureNo = Form.useWatch(['tasks', name, 'measureNo'], form) as number | undefined;
  // The city's tasks of the chosen measure (a city task may itself sit under another city task).
  const parents = useMemo(() => {
    const measure = tree.actions.flatMap((a) => a.measures).find((m) => m.no === measureNo);
    const out: { value: string; label: string }[] = [];
    const walk = (x: TreeTask) => {
      if (x.leadUnit.kind === 'city') out.push({ value: x.id, label: x.title });
      x.children.forEach(walk);
    };
    measure?.tasks.forEach(walk);
    return out;
  }, [tree, measureNo]);
  return (
    <Row gutter={12}>
      <Col xs={24} sm={12}>
        <Form.Item name={[name, 'measureNo']} label={t('plan.col.measure')} rules={[{ required: true, message: t('common.select', { field: t('plan.col.measure') }) }]}>
          <MeasureSelect tree={tree} placeholder={t('plan.sp.measurePh')} onChange={() => form.setFieldValue(['tasks', name, 'parentId'], undefined)} data-testid={`plan-sp-measure-${name + 1}`} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name={[name, 'parentId']} label={t('plan.sp.parent')} extra={measureNo && !parents.length ? t('plan.sp.noParent', { measure: measureName(measureNo, lang) }) : undefined}>
          <Select allowClear disabled={!parents.length} placeholder={t('plan.sp.parentPh')} options={parents} showSearch={{ optionFilterProp: 'label' }} data-testid={`plan-sp-parent-${name + 1}`} />
        </Form.Item>
      </Col>
      <Col xs={24}>
        <Form.Item name={[name, 'title']} label={t('plan.col.title')} rules={[{ required: true, whitespace: true, min: 2, message: t('common.required', { field: t('plan.col.title') }) }]}>
          <Input maxLength={300} data-testid={`plan-sp-task-title-${name + 1}`} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name={[name, 'dueOn']} label={t('plan.col.due')}>
          <DatePicker style={{ width: '100%' }} data-testid={`plan-sp-due-${name + 1}`} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name={[name, 'reportEvery']} label={t('plan.reportEvery')}>
          <Select options={REPORT_EVERY.map((r) => ({ value: r, label: pick(lang, REPORT_EVERY_LABELS[r]) }))} />
        </Form.Item>
      </Col>
      <Col xs={24}>
        <Typography.Text type="secondary">{t('plan.ms.heading')}</Typography.Text>
        <MilestoneList name={[name, 'milestones']} />
      </Col>
    </Row>
  );
}
