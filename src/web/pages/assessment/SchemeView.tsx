import { EditOutlined, InfoCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import type { ComputableIndicator, Scheme, SchemeIndicator } from '../../../shared/contracts/assessment';
import { api } from '../../api';
import { BlockLoading, ErrorState } from '../../components/Feedback';
import { PageHeader } from '../../components/PageHeader';
import { formatDateTime } from '../../format';
import { useAsync, useUrlParams } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { runsAssessment } from './access';
import { recentYears, YearSelect } from '../accidents/fields';
import { SchemeEditor } from './SchemeEditor';
import { schemeUrl, WeightSum } from './SchemeParts';
import { ruleText, vetoText } from './words';

/** What Zhiben computes, by key: the titles, units and notes a scheme's computed indicators read. */
export function useIndicators() {
  return useAsync(async (signal) => new Map((await api.get<{ items: ComputableIndicator[] }>('/api/assessment/indicators', undefined, signal)).items.map((i) => [i.key, i])), []);
}


/** 考核方案: the year's scheme — indicators with weight, source and rule, grade bands, vetoes; the shipped example until the office saves one. */
export function SchemeView() {
  const t = useT();
  const me = useMe();
  const { params, set } = useUrlParams();
  const year = Number(params.get('year') ?? recentYears()[0]);
  const scheme = useAsync((signal) => api.get<Scheme>(schemeUrl(year), undefined, signal), [year]);
  const indicators = useIndicators();
  const [editing, setEditing] = useState(false);
  const s = scheme.data;
  return (
    <>
      <PageHeader
        title={s ? s.title : t('asm.view.scheme')}
        subTitle={s && !s.example && s.updatedAt ? t('asm.scheme.saved', { time: formatDateTime(s.updatedAt), by: s.updatedBy ?? '', v: s.version }) : undefined}
        tags={s?.example && <Tag color="orange" data-testid="asm-scheme-example">{t('asm.scheme.example')}</Tag>}
        extra={
          <>
            <YearSelect value={year} onChange={(v) => set({ year: String(v) })} testId="asm-scheme-year" />
            {runsAssessment(me) && s && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="asm-scheme-edit">
                {s.example ? t('asm.scheme.adopt') : t('asm.scheme.edit')}
              </Button>
            )}
          </>
        }
      />
      {scheme.error && !scheme.loading ? (
        <Card className="zb-card">
          <ErrorState error={scheme.error} onRetry={scheme.reload} />
        </Card>
      ) : !s ? (
        <Card className="zb-card">
          <BlockLoading />
        </Card>
      ) : (
        <SchemeBody scheme={s} indicators={indicators.data} />
      )}
      {editing && s && (
        <SchemeEditor
          scheme={s}
          indicators={indicators.data}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            scheme.reload();
          }}
        />
      )}
    </>
  );
}

function SchemeBody({ scheme, indicators }: { scheme: Scheme; indicators?: Map<string, ComputableIndicator> }) {
  const t = useT();
  const { lang } = useLang();
  const sum = scheme.indicators.reduce((a, i) => a + i.weight, 0);
  const columns: TableColumnsType<SchemeIndicator> = [
    { key: 'name', title: t('asm.ind.name'), render: (_, r) => <Flex vertical><span>{r.name}</span><Typography.Text type="secondary" className="zb-mono">{r.key}</Typography.Text></Flex> },
    { key: 'weight', title: t('asm.ind.weight'), dataIndex: 'weight', align: 'right' },
    {
      key: 'source',
      title: t('asm.ind.source'),
      render: (_, r) => {
        const c = r.source.kind === 'computed' ? indicators?.get(r.source.indicator) : undefined;
        return r.source.kind === 'entered' ? (
          <Tag>{t('asm.ind.entered')}</Tag>
        ) : (
          <span className="zb-nowrap">
            <Tag color="blue">{t('asm.ind.computed')}</Tag>
            {c ? pick(lang, c.title) : r.source.indicator}{' '}
            {c && (
              <Tooltip title={c.note}>
                <InfoCircleOutlined className="zb-muted" aria-label={c.note} />
              </Tooltip>
            )}
          </span>
        );
      },
    },
    {
      key: 'rule',
      title: t('asm.ind.rule'),
      render: (_, r) => (
        <Flex vertical gap={2}>
          <span>{ruleText(t, r.rule, r.source.kind === 'computed' ? indicators?.get(r.source.indicator)?.unit : undefined)}</span>
          <Typography.Text type="secondary">{t(`asm.ind.ifNoData.${r.ifNoData}`)}</Typography.Text>
        </Flex>
      ),
    },
  ];
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {scheme.example && <Alert type="warning" showIcon title={t('asm.scheme.exampleTitle')} description={t('asm.scheme.exampleText')} data-testid="asm-scheme-example-note" />}
      {scheme.note && <Typography.Paragraph type="secondary" style={{ margin: 0 }}>{scheme.note}</Typography.Paragraph>}
      <Card size="small" className="zb-card" title={t('asm.scheme.indicators', { n: scheme.indicators.length })} extra={<WeightSum sum={sum} />}>
        <Table<SchemeIndicator> rowKey="key" size="small" columns={columns} dataSource={scheme.indicators} pagination={false} scroll={{ x: 'max-content' }} data-testid="asm-scheme-indicators" />
      </Card>
      <Card size="small" className="zb-card" title={t('asm.scheme.grades')}>
        <GradeBands grades={scheme.grades} />
      </Card>
      <Card size="small" className="zb-card" title={t('asm.scheme.vetoes')}>
        {scheme.vetoes.length ? (
          <ol style={{ margin: 0, paddingInlineStart: 20 }} data-testid="asm-scheme-vetoes">
            {scheme.vetoes.map((v, i) => (
              <li key={i}>{vetoText(t, lang, v)}</li>
            ))}
          </ol>
        ) : (
          <Typography.Text type="secondary">{t('asm.scheme.noVetoes')}</Typography.Text>
        )}
      </Card>
    </Space>
  );
}

/** The grade bands, best first: 优秀 ≥ 90 … */
export function GradeBands({ grades }: { grades: Scheme['grades'] }) {
  const t = useT();
  return (
    <Space wrap>
      {[...grades]
        .sort((a, b) => b.from - a.from)
        .map((g) => (
          <Tag key={g.grade} color="geekblue">
            {t('asm.scheme.band', { grade: g.grade, from: g.from })}
          </Tag>
        ))}
    </Space>
  );
}
