import { PlusOutlined } from '@ant-design/icons';
import { Button, Flex, Select, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { COURSE_MODE_LABELS, COURSE_MODES } from '../../../shared/contracts/training';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { TableCard } from '../../components/TableCard';
import { useAsync, useIsPhone, useUrlParams } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { courseModes } from './access';
import { CreateCourseDrawer } from './CreateCourse';
import { planYears } from './model';
import type { CourseRow } from './model';
import { ModeTag, RoleText } from './tags';

/** 课程: the city's courses, newest first, filtered by year and classroom; the offices set one up. */
export function CoursesView() {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const { params, set } = useUrlParams();
  const page = Number(params.get('page') ?? 1);
  const year = params.get('year') ?? undefined;
  const mode = params.get('mode') ?? undefined;
  const [creating, setCreating] = useState(false);
  const list = useAsync((signal) => api.get<ListResult<CourseRow>>('/api/courses', { year, mode, page, pageSize: 20 }, signal), [year, mode, page]);
  const modes = courseModes(me);
  const columns: TableColumnsType<CourseRow> = [
    {
      key: 'title',
      title: t('train.col.title'),
      render: (_, c) => (
        <Flex vertical style={{ minWidth: 220 }}>
          <Link to={`/training/courses/${c.id}`} data-testid="course-link">
            {c.title}
          </Link>
          <Typography.Text type="secondary">{c.organiser}</Typography.Text>
        </Flex>
      ),
    },
    { key: 'mode', title: t('train.col.mode'), render: (_, c) => <ModeTag mode={c.mode} /> },
    { key: 'dates', title: t('train.col.dates'), render: (_, c) => <span className="zb-nowrap">{c.from === c.to ? c.from : `${c.from} — ${c.to}`}</span> },
    { key: 'hours', title: t('train.col.hours'), align: 'right', dataIndex: 'hours' },
    {
      key: 'audience',
      title: t('train.col.audience'),
      render: (_, c) => (
        <span>
          {c.audience.map((r, i) => (
            <span key={r}>
              {i > 0 && '、'}
              <RoleText role={r} />
            </span>
          ))}
        </span>
      ),
    },
    { key: 'attendees', title: t('train.col.attendees'), align: 'right', dataIndex: 'attendees' },
  ];
  return (
    <>
      <TableCard<CourseRow>
        list={list}
        columns={phone ? columns.filter((c) => ['title', 'mode', 'attendees'].includes(String(c.key))) : columns}
        empty={t('train.empty')}
        testId="course-table"
        paging={{ page, onChange: (p) => set({ page: p > 1 ? String(p) : null }) }}
        onRowClick={(c) => navigate(`/training/courses/${c.id}`)}
        before={
          <Flex gap={8} wrap justify="space-between" style={{ marginBottom: 12 }}>
            <Flex gap={8} wrap>
              <Select
                allowClear
                placeholder={t('train.col.year')}
                value={year}
                onChange={(v?: string) => set({ year: v ?? null, page: null })}
                options={planYears().map((y) => ({ value: String(y), label: t('train.year', { year: y }) }))}
                style={{ width: 120 }}
              />
              <Select
                allowClear
                placeholder={t('train.col.mode')}
                value={mode}
                onChange={(v?: string) => set({ mode: v ?? null, page: null })}
                options={COURSE_MODES.map((m) => ({ value: m, label: pick(lang, COURSE_MODE_LABELS[m]) }))}
                style={{ width: 170 }}
              />
            </Flex>
            {modes.length > 0 && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="course-create">
                {t('train.create')}
              </Button>
            )}
          </Flex>
        }
      />
      {creating && <CreateCourseDrawer modes={modes} onClose={() => setCreating(false)} onCreated={(c) => navigate(`/training/courses/${c.id}`)} />}
    </>
  );
}
