import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { TRAINEE_ROLE_LABELS, TRAINEE_ROLES } from '../../../shared/contracts/training';
import type { TraineeRole } from '../../../shared/contracts/training';
import { api } from '../../api';
import { EnterpriseSelect } from '../../components/EnterpriseSelect';
import { ErrorState, PageLoading } from '../../components/Feedback';
import { FactList } from '../../components/FactList';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { recordsAttendance } from './access';
import { courseUrl } from './model';
import type { CourseFull } from './model';
import { ModeTag, RoleText } from './tags';

type AttendanceRow = CourseFull['attendance'][number];

/** A course: its facts and the attendance the reader may see; the offices record more. */
export default function CoursePage() {
  const { id = '' } = useParams<{ id: string }>();
  const t = useT();
  const me = useMe();
  const phone = useIsPhone();
  const course = useAsync((signal) => api.get<CourseFull>(courseUrl(id), undefined, signal), [id]);
  const [adding, setAdding] = useState(false);
  if (course.error && !course.loading) return <ErrorState error={course.error} onRetry={course.reload} />;
  const c = course.data;
  if (!c) return <PageLoading />;
  const columns: TableColumnsType<AttendanceRow> = [
    { key: 'person', title: t('train.att.person'), render: (_, a) => <strong>{a.personName}</strong> },
    { key: 'role', title: t('train.att.role'), render: (_, a) => <RoleText role={a.role} /> },
    { key: 'unit', title: t('train.att.enterprise'), render: (_, a) => (a.enterpriseId ? <Link to={`/enterprises/${a.enterpriseId}`}>{a.enterpriseName}</Link> : (a.officeName ?? '—')) },
    { key: 'hours', title: t('train.att.hours'), dataIndex: 'hours', align: 'right' },
    { key: 'passed', title: t('train.att.passed'), render: (_, a) => <Tag color={a.passed ? 'success' : 'error'}>{t(a.passed ? 'train.att.pass' : 'train.att.fail')}</Tag> },
  ];
  return (
    <div className="zb-page" data-testid="course-detail">
      <PageHeader
        title={c.title}
        backTo="/training"
        tags={<ModeTag mode={c.mode} />}
        extra={
          recordsAttendance(me) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="course-add-attendance">
              {t('train.course.add')}
            </Button>
          )
        }
      />
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card className="zb-card" size="small">
          <FactList
            items={[
              { key: 'organiser', label: t('train.col.organiser'), children: c.organiser },
              { key: 'dates', label: t('train.col.dates'), children: c.from === c.to ? c.from : `${c.from} — ${c.to}` },
              { key: 'hours', label: t('train.col.hours'), children: c.hours },
              {
                key: 'audience',
                label: t('train.col.audience'),
                children: c.audience.map((r) => (
                  <Tag key={r}>
                    <RoleText role={r} />
                  </Tag>
                )),
              },
              ...(c.focusYear ? [{ key: 'focus', label: t('train.col.focusYear'), children: t('train.year', { year: c.focusYear }) }] : []),
            ]}
          />
        </Card>
        <Card className="zb-card" size="small" title={t('train.course.attendance')} extra={<Typography.Text type="secondary">{t('common.total', { total: c.attendance.length })}</Typography.Text>}>
          <Table<AttendanceRow>
            rowKey="id"
            size="small"
            columns={phone ? columns.filter((col) => ['person', 'role', 'unit'].includes(String(col.key))) : columns}
            dataSource={c.attendance}
            pagination={c.attendance.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('train.course.noAttendance') }}
            data-testid="course-attendance"
          />
        </Card>
      </Space>
      {adding && (
        <AttendanceModal
          course={c}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            course.reload();
          }}
        />
      )}
    </div>
  );
}

interface Entry {
  role: TraineeRole;
  enterpriseId?: string;
  officeName?: string;
  personName?: string;
}

/** 录入签到: rows of an enterprise's person (or an official with their office); those recorded before are counted, not doubled. */
function AttendanceModal({ course, onClose, onSaved }: { course: CourseFull; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ entries: Entry[] }>();
  const first: Entry = { role: course.audience.find((r) => r !== 'official') ?? 'principal' };
  const { busy, formError, onFinish } = useFormSubmit<{ entries: Entry[] }>(form, async (v) => {
    const r = await api.post<{ added: number; alreadyRecorded: number }>(courseUrl(course.id, '/attendance'), {
      entries: v.entries.map((e) => ({
        role: e.role,
        personName: (e.personName ?? '').trim(),
        enterpriseId: e.role === 'official' ? null : e.enterpriseId,
        officeName: e.role === 'official' ? e.officeName?.trim() || null : null,
      })),
    });
    void message.success(t('train.att.result', { added: r.added, already: r.alreadyRecorded }));
    onSaved();
  });
  return (
    <Modal open width={860} title={t('train.course.add')} onCancel={onClose} onOk={() => form.submit()} okText={t('train.att.submit')} confirmLoading={busy} okButtonProps={{ 'data-testid': 'course-attendance-ok' } as ButtonProps}>
      <FormError error={formError} />
      <Form form={form} layout="vertical" initialValues={{ entries: [first] }} onFinish={(v: { entries: Entry[] }) => void onFinish(v)}>
        <Form.List name="entries">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((f, i) => (
                <Flex key={f.key} gap={8} align="flex-start" wrap data-testid={`attendance-row-${i + 1}`}>
                  <Form.Item name={[f.name, 'role']} style={{ flex: '0 0 170px', marginBottom: 0 }}>
                    <Select options={TRAINEE_ROLES.map((r) => ({ value: r, label: pick(lang, TRAINEE_ROLE_LABELS[r]) }))} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate={(a: { entries: Entry[] }, b: { entries: Entry[] }) => a.entries?.[f.name]?.role !== b.entries?.[f.name]?.role}>
                    {({ getFieldValue }) =>
                      getFieldValue(['entries', f.name, 'role']) === 'official' ? (
                        <Form.Item name={[f.name, 'officeName']} style={{ flex: '1 1 260px', marginBottom: 0 }} rules={[{ required: true, message: t('common.required', { field: t('train.att.officePh') }) }]}>
                          <Input maxLength={100} placeholder={t('train.att.officePh')} />
                        </Form.Item>
                      ) : (
                        <Form.Item name={[f.name, 'enterpriseId']} style={{ flex: '1 1 260px', marginBottom: 0, minWidth: 0 }} rules={[{ required: true, message: t('common.select', { field: t('train.att.enterprisePh') }) }]}>
                          <EnterpriseSelect placeholder={t('train.att.enterprisePh')} />
                        </Form.Item>
                      )
                    }
                  </Form.Item>
                  <Form.Item name={[f.name, 'personName']} style={{ flex: '0 1 160px', marginBottom: 0 }} rules={[{ required: true, message: t('common.required', { field: t('train.att.person') }) }]}>
                    <Input maxLength={50} placeholder={t('train.att.personPh')} />
                  </Form.Item>
                  <Button type="text" danger icon={<DeleteOutlined />} disabled={fields.length === 1} onClick={() => remove(f.name)} aria-label={t('common.close')} />
                </Flex>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ ...first })}>
                {t('train.att.addRow')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
