import { Card, Empty, Tooltip, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { TASK_STATUS_LABELS } from '../../../shared/contracts/tasks';
import type { Milestone, Plan, PlanTree, TreeTask } from '../../../shared/contracts/tasks';
import { shanghaiDate } from '../../../shared/dates';
import { formatDate } from '../../format';
import { pick, useLang, useT } from '../../i18n';
import { actionName, measureName, STATUS_HEX, UnitLink } from './shared';

const DAY = 86_400_000;

interface Line {
  task: TreeTask;
  depth: number;
  measureNo: number;
}

function linesOf(tasks: TreeTask[], measureNo: number, depth = 0): Line[] {
  return tasks.flatMap((task) => [{ task, depth, measureNo }, ...linesOf(task.children, measureNo, depth + 1)]);
}

type MilestoneState = 'done' | 'late' | 'open';
const stateOf = (m: Milestone): MilestoneState => (m.doneOn ? 'done' : m.late ? 'late' : 'open');

/**
 * 进度甘特图: each task as a bar over the plan's years, in its status colour, from its start to its
 * due date, with its milestones as diamonds (blue done, red late, hollow to come) and today's line.
 */
export function PlanTimeline({ plan, tree, filtered }: { plan: Plan; tree: PlanTree; filtered: boolean }) {
  const t = useT();
  const { lang } = useLang();
  const from = Date.parse(`${plan.periodFrom}T00:00:00Z`);
  const to = Date.parse(`${plan.periodTo}T00:00:00Z`) + DAY;
  const at = (date: string) => Math.min(100, Math.max(0, ((Date.parse(`${date.slice(0, 10)}T00:00:00Z`) - from) / (to - from)) * 100));
  const firstYear = Number(plan.periodFrom.slice(0, 4));
  const lastYear = Number(plan.periodTo.slice(0, 4));
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);
  const quarters = years.flatMap((y) => [4, 7, 10].map((m) => `${y}-${String(m).padStart(2, '0')}-01`));
  const today = shanghaiDate(new Date());
  const todayAt = today >= plan.periodFrom && today <= plan.periodTo ? at(today) : null;

  const groups = tree.actions
    .map((a) => ({ action: a, lines: a.measures.flatMap((m) => linesOf(m.tasks, m.no)) }))
    .filter((g) => g.lines.length > 0);

  const grid = (
    <>
      {years.slice(1).map((y) => (
        <div key={y} className="zb-gantt-line zb-gantt-line-year" style={{ left: `${at(`${y}-01-01`)}%` }} />
      ))}
      {quarters.map((q) => (
        <div key={q} className="zb-gantt-line" style={{ left: `${at(q)}%` }} />
      ))}
      {todayAt !== null && <div className="zb-gantt-today" style={{ left: `${todayAt}%` }} />}
    </>
  );

  return (
    <Card className="zb-card" size="small" title={t('plan.view.timeline')}>
      {groups.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? t('common.emptyFiltered') : t('plan.noTasks')} />
      ) : (
        <div className="zb-gantt-scroll">
          <div className="zb-gantt" data-testid="plan-gantt">
            <div className="zb-gantt-row zb-gantt-head">
              <div className="zb-gantt-label">
                <Typography.Text type="secondary">{t('plan.col.title')}</Typography.Text>
              </div>
              <div className="zb-gantt-track">
                {years.map((y) => (
                  <div key={y} className="zb-gantt-year" style={{ left: `${at(`${y}-01-01`)}%`, width: `${at(`${y + 1}-01-01`) - at(`${y}-01-01`)}%` }}>
                    {y}
                  </div>
                ))}
                {todayAt !== null && (
                  <div className="zb-gantt-today-label" style={{ left: `${todayAt}%` }}>
                    {t('plan.today')}
                  </div>
                )}
              </div>
            </div>
            {groups.map(({ action, lines }) => (
              <div key={action.no}>
                <div className="zb-gantt-group">{`${actionName(action.no, lang)}　${action.title}`}</div>
                {lines.map(({ task, depth, measureNo }) => {
                  const end = task.dueOn ?? task.milestones.map((m) => m.dueOn).sort().pop() ?? plan.periodTo;
                  const start = task.startOn ?? plan.periodFrom;
                  const [a, b] = start <= end ? [at(start), at(end)] : [at(end), at(start)];
                  const status = pick(lang, TASK_STATUS_LABELS[task.status]);
                  return (
                    <div key={task.id} className="zb-gantt-row" data-testid="plan-gantt-row" data-status={task.status}>
                      <div className="zb-gantt-label" style={{ paddingInlineStart: 8 + depth * 16 }}>
                        <Link to={`/plan/tasks/${task.id}`} title={task.title}>
                          {task.title}
                        </Link>
                        <Typography.Text type="secondary" className="zb-gantt-sub">
                          {`${measureName(measureNo, lang)} · `}
                          <UnitLink unit={task.leadUnit} />
                        </Typography.Text>
                      </div>
                      <div className="zb-gantt-track">
                        {grid}
                        <Tooltip title={`${task.title} · ${formatDate(start)} — ${formatDate(end)} · ${status}`}>
                          <div className="zb-gantt-bar" style={{ left: `${a}%`, width: `${Math.max(b - a, 0.6)}%`, background: STATUS_HEX[task.status] }} />
                        </Tooltip>
                        {task.milestones.map((m) => {
                          const state = stateOf(m);
                          const note = state === 'done' ? t('plan.ms.doneOn', { date: formatDate(m.doneOn) }) : state === 'late' ? t('plan.ms.late') : t('plan.ms.open');
                          return (
                            <Tooltip key={m.id} title={`${m.title} · ${formatDate(m.dueOn)} · ${note}`}>
                              <div className={`zb-gantt-ms zb-gantt-ms-${state}`} style={{ left: `${at(m.dueOn)}%` }} data-testid="plan-gantt-milestone" data-state={state} />
                            </Tooltip>
                          );
                        })}
                      </div>
                    </div>
                  );
                })}
              </div>
            ))}
          </div>
          <div className="zb-gantt-legend">
            {(['on_track', 'at_risk', 'late', 'done', 'not_started'] as const).map((s) => (
              <span key={s}>
                <i className="zb-gantt-swatch" style={{ background: STATUS_HEX[s] }} />
                {pick(lang, TASK_STATUS_LABELS[s])}
              </span>
            ))}
            <span>
              <i className="zb-gantt-ms zb-gantt-ms-done zb-gantt-ms-key" />
              {t('plan.ms.legendDone')}
            </span>
            <span>
              <i className="zb-gantt-ms zb-gantt-ms-late zb-gantt-ms-key" />
              {t('plan.ms.late')}
            </span>
            <span>
              <i className="zb-gantt-ms zb-gantt-ms-open zb-gantt-ms-key" />
              {t('plan.ms.open')}
            </span>
          </div>
        </div>
      )}
    </Card>
  );
}
