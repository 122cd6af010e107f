import { EditOutlined, FlagOutlined } from '@ant-design/icons';
import { Button, Flex, Form, Input, InputNumber, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { ComputableIndicator, GradeBand, IndicatorResult, Run, UnitResult } from '../../../shared/contracts/assessment';
import { api } from '../../api';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { formatDateTime } from '../../format';
import { useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { FileLinks, FormDrawer, orUndefined } from '../accidents/fields';
import { formatValue } from './words';

const GRADE_HUES = ['green', 'blue', 'gold', 'orange', 'red'];

/** The best band green, the worst red, those between in order. */
export function GradeTag({ grade, grades }: { grade: string; grades: GradeBand[] }) {
  const order = [...grades].sort((a, b) => b.from - a.from).map((g) => g.grade);
  const i = order.indexOf(grade);
  const hue = i < 0 ? 'default' : i === order.length - 1 && order.length > 1 ? 'red' : GRADE_HUES[Math.min(i, GRADE_HUES.length - 2)];
  return <Tag color={hue}>{grade}</Tag>;
}

const points = (n: number) => (Math.round(n * 100) / 100).toString();

/**
 * 排名: rank, district, score and grade — the vetoes that capped a grade with their reasons — each
 * district opening to its indicators; on a draft, the entered indicators take their values here.
 */
export function RankingTable({ run, indicators, onChanged, onAccountability }: { run: Run; indicators?: Map<string, ComputableIndicator>; onChanged: () => void; onAccountability?: (unit: UnitResult) => void }) {
  const t = useT();
  const phone = useIsPhone();
  const [entering, setEntering] = useState<{ unit: UnitResult; ind: IndicatorResult } | null>(null);
  const columns: TableColumnsType<UnitResult> = [
    { key: 'rank', title: t('asm.run.rank'), dataIndex: 'rank', width: 64, align: 'center' },
    { key: 'name', title: t('asm.run.unit'), dataIndex: 'name' },
    { key: 'score', title: t('asm.run.score'), align: 'right', render: (_, u) => <span className="zb-asm-value">{points(u.score)}</span> },
    {
      key: 'grade',
      title: t('asm.run.grade'),
      render: (_, u) => (
        <Space size={4} wrap>
          <GradeTag grade={u.grade} grades={run.grades} />
          {u.scoreGrade !== u.grade && <Typography.Text type="secondary">{t('asm.run.scoreGrade', { grade: u.scoreGrade })}</Typography.Text>}
        </Space>
      ),
    },
    {
      // Red where a veto lowered the grade; one whose condition held without changing it, plainer.
      key: 'vetoes',
      title: t('asm.run.vetoes'),
      render: (_, u) =>
        u.vetoes.length ? (
          <Space size={4} wrap>
            {u.vetoes.map((v) => (
              <Tooltip key={v.rule} title={v.reason}>
                <Tag color={u.grade !== u.scoreGrade && u.grade === v.cap ? 'error' : 'warning'} data-testid="asm-veto">
                  {t('asm.run.vetoCap', { cap: v.cap })}
                </Tag>
              </Tooltip>
            ))}
          </Space>
        ) : null,
    },
    ...(onAccountability
      ? [
          {
            key: 'act',
            title: '',
            render: (_: unknown, u: UnitResult) => (
              <Button size="small" icon={<FlagOutlined />} onClick={() => onAccountability(u)} data-testid="asm-unit-accountability">
                {t('asm.acc.recordShort')}
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <>
      <Table<UnitResult>
        rowKey="code"
        size={phone ? 'small' : 'middle'}
        columns={phone ? columns.filter((c) => c.key !== 'vetoes') : columns}
        dataSource={[...run.units].sort((a, b) => a.rank - b.rank)}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{
          expandRowByClick: true,
          expandedRowRender: (u) => <UnitIndicators unit={u} indicators={indicators} mayEnter={run.allowed.includes('enter')} onEnter={(ind) => setEntering({ unit: u, ind })} />,
        }}
        locale={{ emptyText: t('asm.run.noUnits') }}
        data-testid="asm-ranking"
      />
      {entering && (
        <EntryDrawer
          run={run}
          unit={entering.unit}
          ind={entering.ind}
          onClose={() => setEntering(null)}
          onSaved={() => {
            setEntering(null);
            onChanged();
          }}
        />
      )}
    </>
  );
}

/** A district's indicators: the value (opening the list it counts), the rate's parts, the points out of the weight, a missing value said. */
function UnitIndicators({ unit, indicators, mayEnter, onEnter }: { unit: UnitResult; indicators?: Map<string, ComputableIndicator>; mayEnter: boolean; onEnter: (ind: IndicatorResult) => void }) {
  const t = useT();
  const unitOf = (r: IndicatorResult) => (r.indicator ? indicators?.get(r.indicator)?.unit : undefined);
  const columns: TableColumnsType<IndicatorResult> = [
    {
      key: 'name',
      title: t('asm.ind.name'),
      render: (_, r) => (
        <Flex vertical>
          <span>
            {r.name} {r.kind === 'entered' && <Tag>{t('asm.ind.entered')}</Tag>}
          </span>
          {r.indicator && <ComputedTitle name={r.name} c={indicators?.get(r.indicator)} />}
        </Flex>
      ),
    },
    {
      key: 'value',
      title: t('asm.run.value'),
      align: 'right',
      render: (_, r) => {
        if (r.value === null) return <Tag data-testid="asm-nodata">{t('asm.run.noData')}</Tag>;
        const text = formatValue(r.value, unitOf(r));
        return r.link ? (
          <Link to={r.link} className="zb-asm-value" data-testid="asm-value-link">
            {text}
          </Link>
        ) : (
          <span className="zb-asm-value">{text}</span>
        );
      },
    },
    {
      key: 'parts',
      title: t('asm.run.parts'),
      align: 'right',
      render: (_, r) => (r.numerator !== null && r.denominator !== null ? <span className="zb-asm-value">{`${r.numerator} / ${r.denominator}`}</span> : null),
    },
    {
      key: 'points',
      title: t('asm.run.points'),
      align: 'right',
      render: (_, r) => (
        <Tooltip title={r.noData ? t('asm.run.noDataPoints') : undefined}>
          <span className="zb-asm-value">{`${points(r.points)} / ${points(r.weight)}`}</span>
          {r.noData && <Typography.Text type="secondary"> *</Typography.Text>}
        </Tooltip>
      ),
    },
    {
      key: 'note',
      title: t('asm.run.note'),
      render: (_, r) => (
        <Flex vertical gap={2}>
          {r.asAt && <Typography.Text type="secondary">{t('asm.run.indAsAt', { time: formatDateTime(r.asAt) })}</Typography.Text>}
          {r.note && <span>{r.note}</span>}
          {r.fileIds.length > 0 && <FileLinks ids={r.fileIds} />}
        </Flex>
      ),
    },
    ...(mayEnter
      ? [
          {
            key: 'enter',
            title: '',
            render: (_: unknown, r: IndicatorResult) =>
              r.kind === 'entered' && (
                <Button size="small" icon={<EditOutlined />} onClick={() => onEnter(r)} data-testid={`asm-enter-${r.key}`}>
                  {t('asm.run.enter')}
                </Button>
              ),
          },
        ]
      : []),
  ];
  return <Table<IndicatorResult> rowKey="key" size="small" columns={columns} dataSource={unit.indicators} pagination={false} scroll={{ x: 'max-content' }} data-testid={`asm-indicators-${unit.code}`} />;
}

/** What a computed indicator reads, under its name in the scheme where that says something else. */
function ComputedTitle({ name, c }: { name: string; c?: ComputableIndicator }) {
  const { lang } = useLang();
  const title = c && pick(lang, c.title);
  if (!title || title.replace(/（.*）$/, '') === name) return null;
  return <Typography.Text type="secondary">{title}</Typography.Text>;
}

/** An entered indicator's value for one district: the figure, where it comes from, and the evidence. */
function EntryDrawer({ run, unit, ind, onClose, onSaved }: { run: Run; unit: UnitResult; ind: IndicatorResult; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  return (
    <FormDrawer<{ value: number; note: string; fileIds?: string[] }>
      title={t('asm.run.enterTitle', { unit: unit.name, name: ind.name })}
      onClose={onClose}
      onConflict={onSaved}
      conflictText={{ title: t('asm.run.conflict'), content: t('asm.run.conflictText') }}
      testId="asm-entry-form"
      initialValues={{ value: ind.value ?? undefined, note: ind.note ?? '', fileIds: [] }}
      save={async (v) => {
        await api.put(`/api/assessment/runs/${encodeURIComponent(run.id)}/entries`, { version: run.version, unitCode: unit.code, key: ind.key, value: v.value, note: orUndefined(v.note), fileIds: [...new Set([...ind.fileIds, ...(v.fileIds ?? [])])].slice(0, 9) });
        onSaved();
      }}
    >
      <Form.Item name="value" label={t('asm.run.value')} rules={[{ required: true, message: t('common.required', { field: t('asm.run.value') }) }]}>
        <InputNumber style={{ width: 200 }} data-testid="asm-entry-value" />
      </Form.Item>
      <Form.Item name="note" label={t('asm.run.entryNote')} rules={[{ required: true, min: 2, message: t('asm.run.entryNotePh') }]}>
        <Input.TextArea rows={3} maxLength={500} placeholder={t('asm.run.entryNotePh')} data-testid="asm-entry-note" />
      </Form.Item>
      <Form.Item name="fileIds" label={t('asm.run.entryFiles')} extra={ind.fileIds.length ? t('asm.run.filesKept', { n: ind.fileIds.length }) : undefined}>
        <EvidenceUpload />
      </Form.Item>
    </FormDrawer>
  );
}
