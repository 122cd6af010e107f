import { EditOutlined, TrophyFilled } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Col, DatePicker, Empty, Flex, Form, Input, Modal, Row, Select, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps, TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import { STANDARDIZATION_GRADE_LABELS, STANDARDIZATION_GRADES } from '../../../shared/contracts/certificates';
import type { EnterpriseOperations, Operations, Standardization, StandardizationGrade, StandardizationRecord } from '../../../shared/contracts/certificates';
import { shanghaiDate } from '../../../shared/dates';
import { api } from '../../api';
import { ErrorState } from '../../components/Feedback';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { formatDate } from '../../format';
import { useAsync } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { FormDrawer, orUndefined } from '../accidents/fields';

type StandardizationView = z.infer<typeof Standardization>;
type StdRecord = z.infer<typeof StandardizationRecord>;
type Declared = z.infer<typeof EnterpriseOperations>;
const DAY = 'YYYY-MM-DD';
const entUrl = (id: string, rest: string) => `/api/enterprises/${encodeURIComponent(id)}${rest}`;

/** The enterprise page's 安全生产标准化 and 特种作业 panels, side by side on a desk. */
export function EnterpriseCompliance({ enterpriseId, mayDeclare }: { enterpriseId: string; mayDeclare: boolean }) {
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <StandardizationCard enterpriseId={enterpriseId} />
      </Col>
      <Col xs={24} xl={10}>
        <OperationsCard enterpriseId={enterpriseId} mayDeclare={mayDeclare} />
      </Col>
    </Row>
  );
}

function GradeTag({ level }: { level: StandardizationGrade }) {
  const { lang } = useLang();
  return <Tag color={level === 'small' ? 'default' : 'geekblue'}>{pick(lang, STANDARDIZATION_GRADE_LABELS[level])}</Tag>;
}

/** 安全生产标准化: the record in force and its validity, the review window, the level the enforcement matrix reads, the benchmark, the history. */
function StandardizationCard({ enterpriseId }: { enterpriseId: string }) {
  const t = useT();
  const { lang } = useLang();
  const [editing, setEditing] = useState(false);
  const std = useAsync((signal) => api.get<StandardizationView>(entUrl(enterpriseId, '/standardization'), undefined, signal), [enterpriseId]);
  const s = std.data;
  const latest = s?.current ?? s?.history[0] ?? null;
  const historyColumns: TableColumnsType<StdRecord> = [
    { key: 'level', title: t('cert.std.level'), render: (_, r) => <GradeTag level={r.level} /> },
    { key: 'no', title: t('cert.std.certificateNo'), render: (_, r) => <span className="zb-mono zb-nowrap">{r.certificateNo}</span> },
    { key: 'issuer', title: t('cert.f.issuer'), dataIndex: 'issuer' },
    { key: 'valid', title: t('cert.col.valid'), render: (_, r) => <span className="zb-nowrap">{`${r.validFrom} — ${r.validTo}`}</span> },
    { key: 'by', title: t('cert.std.recordedBy'), render: (_, r) => <span className="zb-nowrap">{`${r.createdByName} · ${formatDate(r.createdAt)}`}</span> },
  ];
  return (
    <Card
      size="small"
      className="zb-card"
      title={t('ent.standardization')}
      data-testid="enterprise-standardization"
      extra={
        s?.mayEdit && (
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="std-edit">
            {t('cert.std.record')}
          </Button>
        )
      }
    >
      {std.error && !std.loading ? (
        <ErrorState error={std.error} onRetry={std.reload} />
      ) : !s ? (
        <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>
      ) : (
        <Flex vertical gap={12}>
          {s.benchmark && (
            <Alert
              type="success"
              icon={<TrophyFilled />}
              showIcon
              data-testid="std-benchmark"
              title={<Typography.Text strong>{t('cert.std.benchmark')}</Typography.Text>}
              description={
                <Flex vertical>
                  <span>{s.benchmark.reason}</span>
                  <Typography.Text type="secondary">{t('cert.std.benchmarkSince', { date: s.benchmark.since, by: s.benchmark.namedBy })}</Typography.Text>
                </Flex>
              }
            />
          )}
          {latest ? (
            <Flex vertical gap={6}>
              <Space size={8} wrap>
                <GradeTag level={latest.level} />
                {s.expired && (
                  <Tag color="error" data-testid="std-expired">
                    {t('cert.std.expired')}
                  </Tag>
                )}
                {s.reviewDue && (
                  <Tag color="warning" data-testid="std-review-due">
                    {t('cert.std.reviewDue')}
                  </Tag>
                )}
              </Space>
              <Typography.Text type="secondary" data-testid="std-validity">
                {t('cert.std.validity', { no: latest.certificateNo, issuer: latest.issuer, from: latest.validFrom, to: latest.validTo })}
                {s.expiresInDays !== null && s.expiresInDays >= 0 && ` · ${t('cert.std.expiresIn', { n: s.expiresInDays })}`}
              </Typography.Text>
              {(s.expired || latest.level === 'small') && (
                <Typography.Text type="secondary" data-testid="std-level-in-force">
                  {t('cert.std.matrixReads', { level: s.levelInForce === 'none' ? t('cert.std.none') : pick(lang, STANDARDIZATION_GRADE_LABELS[s.levelInForce]) })}
                </Typography.Text>
              )}
              {latest.reviewOn && <Typography.Text type="secondary">{t('cert.std.reviewOnText', { date: latest.reviewOn })}</Typography.Text>}
              {latest.note && <Typography.Text type="secondary">{latest.note}</Typography.Text>}
            </Flex>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cert.std.noRecord')} />
          )}
          {s.history.length > 1 && (
            <Table<StdRecord> rowKey="id" size="small" columns={historyColumns} dataSource={s.history} pagination={false} scroll={{ x: 'max-content' }} title={() => t('cert.std.history')} data-testid="std-history" />
          )}
        </Flex>
      )}
      {editing && s && (
        <StandardizationDrawer
          enterpriseId={enterpriseId}
          current={s}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            std.reload();
          }}
        />
      )}
    </Card>
  );
}

interface StdValues {
  level: StandardizationGrade;
  certificateNo: string;
  issuer: string;
  validFrom: Dayjs;
  validTo?: Dayjs | null;
  reviewOn?: Dayjs | null;
  note?: string;
  benchmark: boolean;
  benchmarkReason?: string;
  benchmarkSince?: Dayjs | null;
}

/** 录入标准化证书: valid three years when no end is given; name or remove the enterprise as a benchmark (标杆企业). */
function StandardizationDrawer({ enterpriseId, current, onClose, onSaved }: { enterpriseId: string; current: StandardizationView; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const save = async (v: StdValues) => {
    const benchmark = v.benchmark ? { reason: (v.benchmarkReason ?? '').trim(), since: (v.benchmarkSince ?? dayjs()).format(DAY) } : current.benchmark ? null : undefined;
    await api.put(entUrl(enterpriseId, '/standardization'), {
      level: v.level,
      certificateNo: v.certificateNo.trim(),
      issuer: v.issuer.trim(),
      validFrom: v.validFrom.format(DAY),
      validTo: v.validTo ? v.validTo.format(DAY) : undefined,
      reviewOn: v.reviewOn ? v.reviewOn.format(DAY) : null,
      note: orUndefined(v.note) ?? null,
      benchmark,
    });
    onSaved();
  };
  const b = current.benchmark;
  return (
    <FormDrawer<StdValues>
      title={t('cert.std.record')}
      onClose={onClose}
      save={save}
      testId="std-form"
      initialValues={{
        level: current.current?.level ?? 'level3',
        issuer: current.current?.issuer,
        benchmark: !!b,
        benchmarkReason: b?.reason,
        benchmarkSince: dayjs(b?.since ?? shanghaiDate(new Date())),
      }}
    >
      <Form.Item name="level" label={t('cert.std.level')} rules={[{ required: true }]}>
        <Select options={STANDARDIZATION_GRADES.map((g) => ({ value: g, label: pick(lang, STANDARDIZATION_GRADE_LABELS[g]) }))} data-testid="std-level" />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="certificateNo" label={t('cert.std.certificateNo')} rules={[{ required: true, min: 3, whitespace: true, message: t('cert.f.numberRule') }]}>
            <Input maxLength={60} data-testid="std-certificate-no" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="issuer" label={t('cert.f.issuer')} rules={[{ required: true, min: 2, whitespace: true, message: t('common.required', { field: t('cert.f.issuer') }) }]}>
            <Input maxLength={100} data-testid="std-issuer" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="validFrom" label={t('cert.f.validFrom')} rules={[{ required: true, message: t('common.select', { field: t('cert.f.validFrom') }) }]}>
            <DatePicker style={{ width: '100%' }} data-testid="std-valid-from" />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="validTo" label={t('cert.f.validTo')} extra={t('cert.std.validToHint')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="reviewOn" label={t('cert.std.reviewOn')}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="note" label={t('cert.std.note')}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Form.Item name="benchmark" valuePropName="checked">
        <Checkbox data-testid="std-benchmark-check">{t('cert.std.benchmarkName')}</Checkbox>
      </Form.Item>
      <BenchmarkFields />
    </FormDrawer>
  );
}

function BenchmarkFields() {
  const t = useT();
  const on = Form.useWatch('benchmark') as boolean | undefined;
  if (!on) return null;
  return (
    <Row gutter={12}>
      <Col xs={24} md={16}>
        <Form.Item name="benchmarkReason" label={t('cert.std.benchmarkReason')} rules={[{ required: true, min: 4, message: t('cert.std.benchmarkReasonRule') }]}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('cert.std.benchmarkReasonPh')} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item name="benchmarkSince" label={t('cert.std.benchmarkSinceLabel')} rules={[{ required: true, message: t('common.select', { field: t('cert.std.benchmarkSinceLabel') }) }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** 特种作业: the operations the enterprise declares, with its valid holders and open lapses; declared by the enterprise or its offices. */
function OperationsCard({ enterpriseId, mayDeclare }: { enterpriseId: string; mayDeclare: boolean }) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  const ops = useAsync((signal) => api.get<Declared>(entUrl(enterpriseId, '/special-operations'), undefined, signal), [enterpriseId]);
  type Op = Declared['operations'][number];
  const columns: TableColumnsType<Op> = [
    { key: 'name', title: t('cert.f.operation'), dataIndex: 'name' },
    { key: 'valid', title: t('cert.ops.validHolders'), align: 'right', dataIndex: 'validHolders' },
    {
      key: 'lapsed',
      title: t('cert.ops.lapsed'),
      align: 'right',
      render: (_, o) =>
        o.lapsed ? (
          <Tag color="error" style={{ marginInlineEnd: 0 }}>
            {o.lapsed}
          </Tag>
        ) : (
          <span className="zb-muted">0</span>
        ),
    },
  ];
  return (
    <Card
      size="small"
      className="zb-card"
      title={t('cert.ops.title')}
      data-testid="enterprise-operations"
      extra={
        <Space size={8}>
          <Link to={`/certificates?enterpriseId=${encodeURIComponent(enterpriseId)}`}>{t('cert.ops.certificates')}</Link>
          {mayDeclare && ops.data && (
            <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="ops-edit">
              {t('cert.ops.declare')}
            </Button>
          )}
        </Space>
      }
    >
      {ops.error && !ops.loading ? (
        <ErrorState error={ops.error} onRetry={ops.reload} />
      ) : (
        <Table<Op>
          rowKey="code"
          size="small"
          columns={columns}
          dataSource={ops.data?.operations ?? []}
          loading={ops.loading && !ops.data}
          pagination={false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cert.ops.none')} /> }}
        />
      )}
      {editing && ops.data && (
        <DeclareModal
          enterpriseId={enterpriseId}
          declared={ops.data.operations.map((o) => o.code)}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            ops.reload();
          }}
        />
      )}
    </Card>
  );
}

/** 申报特种作业: the whole list; a newly declared operation's lapsed certificates go onto the ledger. */
function DeclareModal({ enterpriseId, declared, onClose, onSaved }: { enterpriseId: string; declared: string[]; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ operations: string[] }>();
  const catalogue = useAsync((signal) => api.get<z.infer<typeof Operations>>('/api/certificates/operations', undefined, signal), []);
  const { busy, formError, onFinish } = useFormSubmit<{ operations: string[] }>(form, async (v) => {
    await api.put(entUrl(enterpriseId, '/special-operations'), { operations: v.operations ?? [] });
    onSaved();
  });
  return (
    <Modal open title={t('cert.ops.declare')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} okButtonProps={{ 'data-testid': 'ops-save' } as ButtonProps}>
      <Typography.Paragraph type="secondary">{t('cert.ops.declareHint')}</Typography.Paragraph>
      <FormError error={formError} />
      <Form form={form} layout="vertical" initialValues={{ operations: declared }} onFinish={(v) => void onFinish(v)}>
        <Form.Item name="operations" label={t('cert.ops.title')}>
          <Select mode="multiple" allowClear loading={catalogue.loading} options={(catalogue.data?.items ?? []).map((o) => ({ value: o.code, label: o.name }))} data-testid="ops-select" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
