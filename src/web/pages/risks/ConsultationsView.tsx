import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Flex, Form, Input, Select, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import type { Consultation, Risk } from '../../../shared/contracts/risks';
import type { TaskStatus } from '../../../shared/contracts/tasks';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { PageHeader } from '../../components/PageHeader';
import { RemoteMultiSelect } from '../../components/RemoteSelect';
import { TableCard } from '../../components/TableCard';
import { useAsync, useIsPhone, useUrlParams } from '../../hooks';
import { useT } from '../../i18n';
import { useMe } from '../../session';
import { FormDrawer } from '../accidents/fields';
import { TaskStatusTag } from '../plan/shared';
import { recordsConsultations } from './access';
import { RiskLevelTag } from './tags';

type ConsultationT = z.infer<typeof Consultation>;

/** 风险会商: the consultations the reader's unit keeps, newest first, with the items discussed and the decisions as tasks. */
export function ConsultationsView() {
  const t = useT();
  const me = useMe();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const { params, set } = useUrlParams();
  const page = Number(params.get('page') ?? 1);
  const [recording, setRecording] = useState(false);
  const list = useAsync((signal) => api.get<ListResult<ConsultationT>>('/api/consultations', { page, pageSize: 20 }, signal), [page]);
  const columns: TableColumnsType<ConsultationT> = [
    { key: 'heldOn', title: t('risk.cons.heldOn'), render: (_, c) => <span className="zb-nowrap">{c.heldOn}</span> },
    {
      key: 'title',
      title: t('risk.cons.title'),
      render: (_, c) => (
        <Flex vertical style={{ minWidth: 200, maxWidth: 280 }}>
          <strong>{c.title}</strong>
          <Typography.Text type="secondary">{c.unit.name}</Typography.Text>
          <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, tooltip: c.summary }} style={{ marginBottom: 0 }}>
            {c.summary}
          </Typography.Paragraph>
        </Flex>
      ),
    },
    {
      key: 'participants',
      title: t('risk.cons.participants'),
      render: (_, c) => (
        <Flex gap={4} wrap style={{ maxWidth: 190 }}>
          {c.participants.map((p) => (
            <Tag key={p}>{p}</Tag>
          ))}
        </Flex>
      ),
    },
    {
      key: 'risks',
      title: t('risk.cons.risks'),
      render: (_, c) => (
        <Flex vertical gap={4} style={{ maxWidth: 250 }}>
          {c.risks.map((r) => (
            <Flex key={r.id} gap={0} align="center" style={{ minWidth: 0 }}>
              <RiskLevelTag level={r.level} />
              <Link to={`/risks/${r.id}`} title={r.name} className="zb-cons-risk" data-testid="consultation-risk-link">
                {r.name}
              </Link>
            </Flex>
          ))}
        </Flex>
      ),
    },
    {
      key: 'decisions',
      title: t('risk.cons.decisions'),
      render: (_, c) =>
        c.decisions.length ? (
          <Flex vertical gap={6} style={{ minWidth: 220, maxWidth: 280 }}>
            {c.decisions.map((d) => (
              <div key={d.taskId}>
                <Link to={`/plan/tasks/${d.taskId}`} title={d.title} className="zb-cons-risk" style={{ display: 'block' }} data-testid="consultation-task-link">
                  {d.title}
                </Link>
                <Flex gap={6} align="center" wrap>
                  <TaskStatusTag status={d.status as TaskStatus} />
                  <Typography.Text type="secondary">{[d.ownerName ?? d.owner.name, d.dueOn].filter(Boolean).join(' · ')}</Typography.Text>
                </Flex>
              </div>
            ))}
          </Flex>
        ) : (
          <Typography.Text type="secondary">{t('risk.cons.noDecisions')}</Typography.Text>
        ),
    },
  ];
  return (
    <>
      <PageHeader
        title={t('risk.view.consultations')}
        extra={
          recordsConsultations(me) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="consultation-record">
              {t('risk.cons.record')}
            </Button>
          )
        }
      />
      <TableCard<ConsultationT>
        list={list}
        columns={phone ? columns.filter((c) => ['heldOn', 'title', 'decisions'].includes(String(c.key))) : columns}
        empty={t('risk.cons.none')}
        testId="consultation-table"
        paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
      />
      {recording && (
        <ConsultationDrawer
          onClose={() => setRecording(false)}
          onSaved={() => {
            setRecording(false);
            void message.success(t('risk.cons.saved'));
            list.reload();
          }}
        />
      )}
    </>
  );
}

interface Values {
  heldOn: Dayjs;
  title: string;
  participants: string[];
  riskIds?: string[];
  summary: string;
  decisions?: { title?: string; ownerName?: string; dueOn?: Dayjs }[];
}

const searchRisks = async (q: string, signal: AbortSignal) =>
  (await api.get<ListResult<z.infer<typeof Risk>>>('/api/risks', { q: q || undefined, pageSize: 20 }, signal)).items.map((r) => ({ value: r.id, label: `${r.code} ${r.name}`, record: r }));

/** 记录会商: the date, title, participants, the items discussed, the opinion and the decisions (each a task with its owner and due date). */
function ConsultationDrawer({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const phone = useIsPhone();
  const save = async (v: Values) => {
    await api.post('/api/consultations', {
      heldOn: v.heldOn.format('YYYY-MM-DD'),
      title: v.title.trim(),
      participants: v.participants.map((p) => p.trim()).filter(Boolean),
      riskIds: v.riskIds ?? [],
      summary: v.summary.trim(),
      decisions: (v.decisions ?? [])
        .filter((d) => d.title?.trim())
        .map((d) => ({ title: d.title!.trim(), ownerName: d.ownerName?.trim() || undefined, dueOn: d.dueOn!.format('YYYY-MM-DD') })),
    });
    onSaved();
  };
  return (
    <FormDrawer<Values> title={t('risk.cons.record')} onClose={onClose} save={save} testId="consultation-form" submitText={t('risk.cons.submit')} initialValues={{ heldOn: dayjs(), participants: [], decisions: [] }}>
      <Form.Item name="heldOn" label={t('risk.cons.heldOn')} rules={[{ required: true, message: t('common.select', { field: t('risk.cons.heldOn') }) }]}>
        <DatePicker style={{ width: '100%' }} inputReadOnly={phone} />
      </Form.Item>
      <Form.Item name="title" label={t('risk.cons.title')} rules={[{ required: true, min: 2, message: t('common.required', { field: t('risk.cons.title') }) }]}>
        <Input maxLength={200} placeholder={t('risk.cons.titlePh')} data-testid="consultation-title" />
      </Form.Item>
      <Form.Item name="participants" label={t('risk.cons.participants')} rules={[{ required: true, type: 'array', min: 1, message: t('common.required', { field: t('risk.cons.participants') }) }]}>
        <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} placeholder={t('risk.cons.participantsPh')} suffixIcon={null} />
      </Form.Item>
      <Form.Item name="riskIds" label={t('risk.cons.risks')}>
        <RemoteMultiSelect search={searchRisks} placeholder={t('risk.cons.risksPh')} />
      </Form.Item>
      <Form.Item name="summary" label={t('risk.cons.summary')} rules={[{ required: true, min: 4, message: t('risk.cons.summaryPh') }]}>
        <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t('risk.cons.summaryPh')} />
      </Form.Item>
      <Form.Item label={t('risk.cons.decisions')} extra={t('risk.cons.decisionsHint')}>
        <Form.List name="decisions">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((f) => (
                <Flex key={f.key} gap={8} align="flex-start" wrap>
                  <Form.Item name={[f.name, 'title']} style={{ flex: '2 1 220px', marginBottom: 0 }} rules={[{ required: true, min: 2, message: t('common.required', { field: t('risk.cons.decision') }) }]}>
                    <Input maxLength={300} placeholder={t('risk.cons.decision')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'ownerName']} style={{ flex: '1 1 120px', marginBottom: 0 }}>
                    <Input maxLength={60} placeholder={t('risk.cons.owner')} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'dueOn']} style={{ flex: '0 0 140px', marginBottom: 0 }} rules={[{ required: true, message: t('common.select', { field: t('risk.cons.dueOn') }) }]}>
                    <DatePicker placeholder={t('risk.cons.dueOn')} inputReadOnly={phone} style={{ width: '100%' }} />
                  </Form.Item>
                  <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.close')} />
                </Flex>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({})}>
                {t('risk.cons.addDecision')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form.Item>
    </FormDrawer>
  );
}
