import { Col, DatePicker, Form, Input, InputNumber, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { COURSE_MODE_LABELS, TRAINEE_ROLE_LABELS, TRAINEE_ROLES } from '../../../shared/contracts/training';
import type { CourseMode, TraineeRole } from '../../../shared/contracts/training';
import { api } from '../../api';
import { scopeOf } from '../../format';
import { useDistricts, useIndustries } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { FormDrawer } from '../accidents/fields';
import { planYears } from './model';
import type { CourseFull } from './model';

interface Values {
  title: string;
  organiser: string;
  mode: CourseMode;
  districtCode?: string;
  dates: [Dayjs, Dayjs];
  hours: number;
  focusYear?: number;
  industries?: string[];
  audience: TraineeRole[];
}

/** 开设课程: the city office and departments any classroom, a district office its own branch classroom. */
export function CreateCourseDrawer({ modes, onClose, onCreated }: { modes: CourseMode[]; onClose: () => void; onCreated: (c: CourseFull) => void }) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const districts = useDistricts();
  const industries = useIndustries();
  const own = scopeOf(me.regionCode).districtCode;
  const save = async (v: Values) =>
    onCreated(
      await api.post<CourseFull>('/api/courses', {
        title: v.title.trim(),
        organiser: v.organiser.trim(),
        mode: v.mode,
        districtCode: v.mode === 'district_branch' ? (own ?? v.districtCode ?? null) : null,
        from: v.dates[0].format('YYYY-MM-DD'),
        to: v.dates[1].format('YYYY-MM-DD'),
        hours: v.hours,
        focusYear: v.focusYear ?? null,
        industries: v.industries ?? [],
        audience: v.audience,
      }),
    );
  return (
    <FormDrawer<Values>
      title={t('train.create')}
      onClose={onClose}
      save={save}
      testId="course-form"
      submitText={t('train.submit')}
      initialValues={{ mode: modes[0], hours: 8, audience: ['principal'], districtCode: own }}
    >
      <Form.Item name="title" label={t('train.f.title')} rules={[{ required: true, min: 2, message: t('common.required', { field: t('train.f.title') }) }]}>
        <Input maxLength={100} data-testid="course-title" />
      </Form.Item>
      <Form.Item name="organiser" label={t('train.f.organiser')} rules={[{ required: true, min: 2, message: t('common.required', { field: t('train.f.organiser') }) }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="mode" label={t('train.f.mode')} rules={[{ required: true }]}>
            <Select options={modes.map((m) => ({ value: m, label: pick(lang, COURSE_MODE_LABELS[m]) }))} data-testid="course-mode-select" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.mode !== b.mode}>
            {({ getFieldValue }) =>
              getFieldValue('mode') === 'district_branch' && (
                <Form.Item name="districtCode" label={t('train.f.district')} rules={[{ required: true, message: t('common.select', { field: t('train.f.district') }) }]}>
                  <Select disabled={!!own} options={(districts.data ?? []).map((d) => ({ value: d.code, label: d.name }))} />
                </Form.Item>
              )
            }
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={16}>
          <Form.Item name="dates" label={t('train.f.dates')} rules={[{ required: true, message: t('common.select', { field: t('train.f.dates') }) }]}>
            <DatePicker.RangePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="hours" label={t('train.f.hours')} rules={[{ required: true, message: t('common.required', { field: t('train.f.hours') }) }]}>
            <InputNumber min={0.5} max={500} step={0.5} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="audience" label={t('train.f.audience')} rules={[{ required: true, type: 'array', min: 1, message: t('common.select', { field: t('train.f.audience') }) }]}>
        <Select mode="multiple" options={TRAINEE_ROLES.map((r) => ({ value: r, label: pick(lang, TRAINEE_ROLE_LABELS[r]) }))} />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="focusYear" label={t('train.f.focusYear')} tooltip={t('train.f.focusYearHint')}>
            <Select allowClear options={planYears().map((y) => ({ value: y, label: t('train.year', { year: y }) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name="industries" label={t('train.f.industries')} extra={t('train.f.industriesHint')}>
            <Select mode="multiple" allowClear optionFilterProp="label" loading={industries.loading} options={(industries.data ?? []).filter((i) => i.level === 'division').map((i) => ({ value: i.code, label: `${i.code} ${i.name}` }))} />
          </Form.Item>
        </Col>
      </Row>
    </FormDrawer>
  );
}
