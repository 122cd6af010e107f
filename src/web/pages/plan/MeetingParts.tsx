import { PaperClipOutlined } from '@ant-design/icons';
import { Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import { CHAIR_ROLE_LABELS, TASK_STATUS_LABELS } from '../../../shared/contracts/tasks';
import type { Compliance, Meeting, MeetingDecision } from '../../../shared/contracts/tasks';
import { fileUrl } from '../../api';
import { formatDate } from '../../format';
import { pick, useLang, useT } from '../../i18n';
import type { Lang, Translate } from '../../i18n';
import type { Cell as XlsxCell } from '../../xlsx';
import { TaskStatusTag, UnitLink } from './shared';

// The meetings' pieces the meetings page and a unit's page share: the quarter's cell, the list's
// columns, and both tables as the rows of a workbook.

export type ComplianceRow = Compliance['units'][number];
type Cell = ComplianceRow['cells'][number];
type Decision = z.infer<typeof MeetingDecision>;

const cellText = (cell: Cell, t: Translate) => (cell.meetings > 0 ? t('plan.mt.held', { n: cell.meetings }) : t(`plan.mt.state.${cell.state}`));

/** A unit's quarter: held (green, with the count), missed (red), under way or to come (grey). */
export function CellTag({ cell }: { cell: Cell }) {
  const t = useT();
  const color = cell.state === 'held' ? 'green' : cell.state === 'missed' ? 'red' : 'default';
  return (
    <Tag color={color} data-testid="plan-compliance-cell" data-state={cell.state}>
      {cellText(cell, t)}
    </Tag>
  );
}

export function useMeetingColumns({ withUnit = true }: { withUnit?: boolean } = {}): TableColumnsType<Meeting> {
  const t = useT();
  const { lang } = useLang();
  return [
    { key: 'heldOn', title: t('plan.mt.heldOn'), render: (_, m) => formatDate(m.heldOn) },
    ...(withUnit ? [{ key: 'unit', title: t('plan.unit'), render: (_: unknown, m: Meeting) => <UnitLink unit={m.unit} /> }] : []),
    {
      key: 'title',
      title: t('plan.mt.meeting'),
      render: (_, m) => <MeetingSummary meeting={m} />,
    },
    {
      key: 'chair',
      title: t('plan.mt.chair'),
      render: (_, m) => (
        <div>
          {m.chairName}
          <div>
            <Typography.Text type="secondary">{pick(lang, CHAIR_ROLE_LABELS[m.chairRole])}</Typography.Text>
          </div>
          {m.qualifies ? (
            <Tag color="green">{t('plan.mt.qualifies')}</Tag>
          ) : (
            <Tooltip title={t('plan.mt.notQualifyingHint')}>
              <Tag>{t('plan.mt.notQualifying')}</Tag>
            </Tooltip>
          )}
        </div>
      ),
    },
  ];
}

/** A meeting's title, then its topics, decisions (each a task) and minutes. */
function MeetingSummary({ meeting: m }: { meeting: Meeting }) {
  const t = useT();
  return (
    <div data-testid="plan-mt-row" style={{ maxWidth: 640 }}>
      <Typography.Text strong>{m.title}</Typography.Text>
      {m.minutesFileId && (
        <a href={fileUrl(m.minutesFileId)} target="_blank" rel="noopener noreferrer" style={{ marginInlineStart: 8 }}>
          <PaperClipOutlined /> {t('plan.mt.minutes')}
        </a>
      )}
      <div>
        <Typography.Text type="secondary">{`${t('plan.mt.topics')}：${m.topics.join('；')}`}</Typography.Text>
      </div>
      {m.attendees.length > 0 && (
        <div>
          <Typography.Text type="secondary">{`${t('plan.mt.attendees')}：${m.attendees.join('、')}`}</Typography.Text>
        </div>
      )}
      {m.decisions.length > 0 && <Decisions decisions={m.decisions} />}
    </div>
  );
}

function Decisions({ decisions }: { decisions: Decision[] }) {
  const t = useT();
  return (
    <div style={{ marginTop: 4 }}>
      <Typography.Text>{t('plan.mt.decisions', { n: decisions.length })}</Typography.Text>
      <ol style={{ margin: '2px 0 0', paddingInlineStart: 20 }}>
        {decisions.map((d) => (
          <li key={d.taskId}>
            <Link to={`/plan/tasks/${d.taskId}`}>{d.title}</Link>
            <Typography.Text type="secondary">{` · ${d.owner.name}${d.ownerName ? `（${d.ownerName}）` : ''} · ${t('plan.mt.dueOn', { date: formatDate(d.dueOn) })} `}</Typography.Text>
            <TaskStatusTag status={d.status} />
          </li>
        ))}
      </ol>
    </div>
  );
}

/** The units × quarters matrix as a sheet: a unit a row, each quarter's state, the quarters missed. */
export function complianceSheet(c: Compliance, t: Translate): XlsxCell[][] {
  return [
    [t('plan.unit'), ...c.quarters.map((q) => t('plan.mt.quarter', { q })), t('plan.mt.missedCol')],
    ...c.units.map((r) => {
      const cells = c.quarters.map((q) => r.cells.find((x) => x.quarter === q));
      return [r.unit.name, ...cells.map((cell) => (cell ? cellText(cell, t) : null)), r.missed];
    }),
  ];
}

/** Meetings as a sheet: one a row, its decisions (each with owner, deadline and status) in one cell. */
export function meetingsSheet(meetings: Meeting[], t: Translate, lang: Lang): XlsxCell[][] {
  return [
    [t('plan.mt.heldOn'), t('plan.unit'), t('plan.mt.meeting'), t('plan.mt.chair'), t('plan.mt.chairRole'), t('plan.mt.qualifies'), t('plan.mt.attendees'), t('plan.mt.topics'), t('plan.mt.decisionsTitle')],
    ...meetings.map((m) => [
      m.heldOn,
      m.unit.name,
      m.title,
      m.chairName,
      pick(lang, CHAIR_ROLE_LABELS[m.chairRole]),
      m.qualifies ? t('plan.yes') : t('plan.no'),
      m.attendees.join('、'),
      m.topics.join('；'),
      m.decisions.map((d, i) => `${i + 1}. ${d.title}（${d.owner.name}${d.ownerName ? ` ${d.ownerName}` : ''}，${t('plan.mt.dueOn', { date: formatDate(d.dueOn) })}，${pick(lang, TASK_STATUS_LABELS[d.status])}）`).join('；'),
    ]),
  ];
}
