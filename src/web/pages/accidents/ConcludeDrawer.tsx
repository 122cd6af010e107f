import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, DatePicker, Flex, Form, Input, Radio, Row, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { AccidentDetail } from '../../../shared/contracts/accidents';
import type { FindingInput } from '../../../shared/contracts/enforcement';
import { api, ApiError } from '../../api';
import { ClauseSelect } from '../../components/ClauseSelect';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { useT } from '../../i18n';
import { accidentUrl, FormDrawer, orUndefined } from './fields';

/** A finding as it is typed: the contract's words, its clause and deadline still as picked. */
type Draft = Required<Pick<z.input<typeof FindingInput>, 'description' | 'grade' | 'location'>> & { key: number; clauseId?: string; deadline: Dayjs | null };

interface Values {
  reportFileIds?: string[];
  responsibility: string;
  hazards?: Draft[];
}

let nextKey = 0;
const FIELD = 'hazards';

/**
 * The server names a finding's problem `findings.N.field`; the editor is one form field, so the
 * message goes under it, saying which hazard it concerns.
 */
function onEditor(err: unknown, t: ReturnType<typeof useT>): unknown {
  if (!(err instanceof ApiError) || !err.problem?.errors) return err;
  const errors = err.problem.errors.map((e) => {
    const m = /^(?:body[./])?findings(?:[./](\d+))?/.exec(e.path);
    if (!m) return e;
    return { ...e, path: FIELD, message: m[1] ? `${t('acc.findingN', { n: Number(m[1]) + 1 })}：${e.message}` : e.message };
  });
  return new ApiError(err.status, { ...err.problem, errors }, err.message);
}

/** 调查结案: the report (one file at least), the responsibility found, and the hazards the investigation found — each onto the ledger as 事故调查. */
export function ConcludeDrawer({ accident, onClose, onConflict, onDone }: { accident: AccidentDetail; onClose: () => void; onConflict: () => void; onDone: () => void }) {
  const t = useT();
  const save = async (v: Values) => {
    const findings = (v.hazards ?? []).map((d) => ({
      description: d.description.trim(),
      grade: d.grade,
      clauseIds: d.grade === 'major' && d.clauseId ? [d.clauseId] : undefined,
      location: orUndefined(d.location),
      deadline: d.grade === 'general' && d.deadline ? d.deadline.format('YYYY-MM-DD') : undefined,
    }));
    try {
      await api.post(accidentUrl(accident.id, '/investigation/conclude'), { version: accident.version, reportFileIds: v.reportFileIds ?? [], responsibility: v.responsibility.trim(), findings });
    } catch (err) {
      throw onEditor(err, t);
    }
    onDone();
  };
  return (
    <FormDrawer<Values> title={t('acc.act.conclude')} onClose={onClose} onConflict={onConflict} save={save} testId="acc-conclude-form" initialValues={{ hazards: [] }}>
      <Form.Item name="reportFileIds" label={t('acc.reportFiles')} rules={[{ required: true, type: 'array', min: 1, message: t('acc.f.reportRequired') }]}>
        <EvidenceUpload data-testid="acc-report-upload" />
      </Form.Item>
      <Form.Item name="responsibility" label={t('acc.responsibility')} rules={[{ required: true, min: 10, message: t('acc.f.responsibilityPh') }]}>
        <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t('acc.f.responsibilityPh')} data-testid="acc-responsibility" />
      </Form.Item>
      {accident.enterpriseId ? (
        // No red on every input of every draft: the message under the editor names the hazard.
        <Form.Item name={FIELD} label={t('acc.f.findings')} extra={t('acc.f.findingsHint')} validateStatus="">
          <FindingDrafts />
        </Form.Item>
      ) : (
        <Form.Item label={t('acc.f.findings')}>
          <Typography.Text type="secondary">{t('acc.f.noEnterpriseFindings')}</Typography.Text>
        </Form.Item>
      )}
    </FormDrawer>
  );
}

/** The hazards found, as a form value: none to start with, added one by one. */
function FindingDrafts({ value = [], onChange }: { value?: Draft[]; onChange?: (v: Draft[]) => void }) {
  const t = useT();
  const change = (key: number, patch: Partial<Draft>) => onChange?.(value.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const add = () => onChange?.([...value, { key: ++nextKey, description: '', grade: 'general', location: '', deadline: null }]);
  return (
    <Flex vertical gap={8}>
      {value.map((d, i) => (
        <Card
          key={d.key}
          size="small"
          type="inner"
          title={t('acc.findingN', { n: i + 1 })}
          extra={<Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('acc.remove')} onClick={() => onChange?.(value.filter((x) => x.key !== d.key))} />}
          data-testid={`acc-finding-${i + 1}`}
        >
          <Flex vertical gap={8}>
            <Input.TextArea rows={2} maxLength={2000} value={d.description} placeholder={t('acc.f.findingPh')} onChange={(e) => change(d.key, { description: e.target.value })} />
            <Radio.Group
              optionType="button"
              value={d.grade}
              onChange={(e) => change(d.key, { grade: e.target.value as Draft['grade'] })}
              options={(['general', 'major'] as const).map((g) => ({ value: g, label: t(g === 'major' ? 'sc.gradeMajor' : 'sc.gradeGeneral') }))}
            />
            {d.grade === 'major' && <ClauseSelect value={d.clauseId} onChange={(clauseId) => change(d.key, { clauseId })} hint={d.description} />}
            <Row gutter={8}>
              <Col xs={24} md={14}>
                <Input value={d.location} maxLength={200} placeholder={t('acc.f.findingLocation')} onChange={(e) => change(d.key, { location: e.target.value })} />
              </Col>
              <Col xs={24} md={10}>
                {d.grade === 'general' ? (
                  <DatePicker value={d.deadline} placeholder={t('acc.f.findingDeadline')} disabledDate={(x) => x.isBefore(dayjs().startOf('day'))} onChange={(deadline) => change(d.key, { deadline })} style={{ width: '100%' }} />
                ) : (
                  <Typography.Text type="secondary">{t('acc.f.majorDeadline')}</Typography.Text>
                )}
              </Col>
            </Row>
          </Flex>
        </Card>
      ))}
      <Button icon={<PlusOutlined />} onClick={add} data-testid="acc-finding-add">
        {t('acc.f.addFinding')}
      </Button>
    </Flex>
  );
}
