import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { RISK_CLASSES, STANDARDIZATION_LEVELS } from '../../../shared/contracts/enforcement';
import type { Matrix, MatrixCell, MatrixInput, RiskClass, StandardizationLevel } from '../../../shared/contracts/enforcement';
import { STANDARDIZATION_LABELS } from '../../../shared/roles';
import { api } from '../../api';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { DistrictSelect } from '../../components/RegionSelects';
import { RiskTag } from '../../components/Tags';
import { scopeOf } from '../../format';
import { useAsync } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { thisYear, yearOptions } from './access';
import type { ViewProps } from './viewParams';

type Cell = Pick<MatrixCell, 'perYear' | 'floor' | 'cap'>;
type Row = { riskClass: RiskClass; cells: Partial<Record<StandardizationLevel, MatrixCell>> };
const SOURCE_COLORS: Record<MatrixCell['from'], string> = { example: 'default', city: 'blue', district: 'purple', department: 'cyan' };

/** The 4 × 4 matrix: risk classes down, standardization levels across; read-only, or with the three numbers of each cell as inputs inside a form. */
export function MatrixGrid({ cells, editing = false }: { cells: MatrixCell[]; editing?: boolean }) {
  const t = useT();
  const { lang } = useLang();
  const rows: Row[] = RISK_CLASSES.map((riskClass) => ({
    riskClass,
    cells: Object.fromEntries(cells.filter((c) => c.riskClass === riskClass).map((c) => [c.standardizationLevel, c])),
  }));
  const index = (r: RiskClass, s: StandardizationLevel) => RISK_CLASSES.indexOf(r) * STANDARDIZATION_LEVELS.length + STANDARDIZATION_LEVELS.indexOf(s);
  const columns: TableColumnsType<Row> = [
    { key: 'risk', title: t('enf.riskClass'), fixed: 'left', render: (_, r) => <RiskTag value={r.riskClass} /> },
    ...STANDARDIZATION_LEVELS.map((s) => ({
      key: s,
      title: pick(lang, STANDARDIZATION_LABELS[s]),
      render: (_: unknown, r: Row) => {
        const c = r.cells[s];
        if (editing) {
          const k = index(r.riskClass, s);
          const num = (field: keyof Cell, label: string) => (
            <Form.Item name={['cells', k, field]} label={label} rules={[{ required: true, message: t('enf.matrix.required') }]} style={{ marginBottom: 4 }}>
              <InputNumber min={0} max={52} precision={0} size="small" style={{ width: 64 }} data-testid={`enf-matrix-${r.riskClass}-${s}-${field}`} />
            </Form.Item>
          );
          return (
            <div className="zb-enf-matrix-edit">
              {num('perYear', t('enf.matrix.perYear'))}
              {num('floor', t('enf.matrix.floor'))}
              {num('cap', t('enf.matrix.cap'))}
            </div>
          );
        }
        if (!c) return '—';
        return (
          <div data-testid={`enf-matrix-${r.riskClass}-${s}`}>
            <Typography.Text strong>{t('enf.matrix.times', { n: c.perYear })}</Typography.Text>
            <div>
              <Typography.Text type="secondary">{t('enf.matrix.range', { floor: c.floor, cap: c.cap })}</Typography.Text>
            </div>
            {c.from !== 'example' && <Tag color={SOURCE_COLORS[c.from]}>{t(`enf.matrix.from.${c.from}`)}</Tag>}
          </div>
        );
      },
    })),
  ];
  return <Table<Row> rowKey="riskClass" size="small" bordered columns={columns} dataSource={rows} pagination={false} scroll={{ x: 'max-content' }} data-testid="enf-matrix-table" />;
}

interface MatrixForm {
  cells: Cell[];
  sourceNote: string;
}

/** 频次矩阵: planned inspections a year by risk class and standardization level; the city's, or a district's or department's override. */
export function MatrixView({ params, set }: ViewProps) {
  const t = useT();
  const me = useMe();
  const { message } = App.useApp();
  const scope = scopeOf(me.regionCode);
  const year = Number(params.get('year') ?? thisYear());
  const districtCode = params.get('districtCode') ?? scope.districtCode;
  const departmentId = me.role === 'dept_officer' ? (me.departmentId ?? undefined) : undefined;
  const matrix = useAsync((signal) => api.get<Matrix>('/api/enforcement/matrix', { year, districtCode, departmentId }, signal), [year, districtCode, departmentId]);
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<MatrixForm>();
  const m = matrix.data;
  const { busy, formError, onFinish } = useFormSubmit<MatrixForm>(form, async (v) => {
    const cells = RISK_CLASSES.flatMap((riskClass, i) => STANDARDIZATION_LEVELS.map((standardizationLevel, j) => ({ riskClass, standardizationLevel, ...v.cells[i * STANDARDIZATION_LEVELS.length + j] })));
    const body: MatrixInput = { year, districtCode: m?.scope.level === 'district' ? districtCode : undefined, departmentId: m?.scope.level === 'department' ? departmentId : undefined, cells, sourceNote: v.sourceNote };
    await api.put<Matrix>('/api/enforcement/matrix', body);
    message.success(t('enf.matrix.saved'));
    setEditing(false);
    matrix.reload();
  });
  const startEdit = () => {
    if (!m) return;
    const at = (r: RiskClass, s: StandardizationLevel) => m.cells.find((c) => c.riskClass === r && c.standardizationLevel === s);
    form.setFieldsValue({
      cells: RISK_CLASSES.flatMap((r) => STANDARDIZATION_LEVELS.map((s) => ({ perYear: at(r, s)?.perYear ?? 0, floor: at(r, s)?.floor ?? 0, cap: at(r, s)?.cap ?? 0 }))),
      sourceNote: m.sourceNote ?? '',
    });
    setEditing(true);
  };
  return (
    <Card
      className="zb-card"
      size="small"
      title={
        <Flex gap={8} wrap align="center">
          <Select value={year} onChange={(v) => set({ year: v === thisYear() ? null : String(v) })} options={yearOptions()} style={{ width: 100 }} aria-label={t('enf.year')} disabled={editing} />
          {!scope.districtCode && !departmentId && (
            <div style={{ width: 150 }}>
              <DistrictSelect value={districtCode} onChange={(v) => set({ districtCode: v ?? null })} placeholder={t('enf.city')} disabled={editing} />
            </div>
          )}
          {m && <Typography.Text type="secondary">{m.scope.name}</Typography.Text>}
          {m?.isExample && (
            <Tag color="orange" data-testid="enf-matrix-example">
              {t('enf.matrix.example')}
            </Tag>
          )}
        </Flex>
      }
      extra={
        m?.editable &&
        (editing ? (
          <Flex gap={8}>
            <Button size="small" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </Button>
            <Button size="small" type="primary" loading={busy} onClick={() => form.submit()} data-testid="enf-matrix-save">
              {t('common.save')}
            </Button>
          </Flex>
        ) : (
          <Button size="small" onClick={startEdit} data-testid="enf-matrix-edit">
            {t('common.edit')}
          </Button>
        ))
      }
      data-testid="enf-matrix"
    >
      {matrix.error && !matrix.loading ? (
        <ErrorState error={matrix.error} onRetry={matrix.reload} />
      ) : !m ? (
        <BlockLoading />
      ) : (
        <Form<MatrixForm> form={form} onFinish={onFinish} layout="horizontal" requiredMark={false} component={editing ? 'form' : false}>
          {m.isExample && <Alert type="warning" showIcon title={t('enf.matrix.example')} description={m.exampleNote} style={{ marginBottom: 12 }} />}
          <FormError error={formError} />
          <MatrixGrid cells={m.cells} editing={editing} />
          {editing ? (
            <Form.Item name="sourceNote" label={t('enf.matrix.sourceNote')} rules={[{ required: true, min: 2, message: t('enf.matrix.sourceRequired') }]} style={{ marginTop: 12 }}>
              <Input maxLength={300} placeholder={t('enf.matrix.sourcePh')} data-testid="enf-matrix-source" />
            </Form.Item>
          ) : (
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
              {t('enf.matrix.note')}
              {m.sourceNote ? ` ${t('enf.matrix.source', { note: m.sourceNote })}` : ''}
              {m.revision ? ` ${t('enf.matrix.revision', { n: m.revision })}` : ''}
            </Typography.Paragraph>
          )}
        </Form>
      )}
    </Card>
  );
}
