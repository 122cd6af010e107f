import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, DatePicker, Flex, Form, Input, Radio, Row, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { CHECKER_LABELS } from '../../../shared/contracts/campaigns';
import type { Checker } from '../../../shared/contracts/campaigns';
import { api } from '../../api';
import { ClauseSelect } from '../../components/ClauseSelect';
import { useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { FormDrawer } from '../accidents/fields';
import { campaignUrl } from './model';
import type { CampaignFull, TargetRow } from './model';

interface FindingValues {
  description?: string;
  grade: 'general' | 'major';
  clauseId?: string;
  deadline?: Dayjs | null;
  itemId?: string;
}
interface Values {
  checkedOn: Dayjs;
  by: Checker;
  checkedByName?: string;
  results: { ok: boolean; note?: string }[];
  note?: string;
  findings: FindingValues[];
}

/** The clause a major finding meets, suggested from its own description. */
function FindingClause({ name, value, onChange, testId }: { name: number; value?: string; onChange?: (v: string | undefined) => void; testId: string }) {
  const description = Form.useWatch(['findings', name, 'description']) as string | undefined;
  return <ClauseSelect value={value} onChange={(v) => onChange?.(v)} hint={description ?? ''} data-testid={testId} />;
}

/**
 * 整治检查: the date, who checked, each checklist item passed or not (with a note), and the hazards
 * found — each onto the ledger with this target as its origin; sent under the target's version.
 */
export function CheckDrawer({ campaign, target, kinds, onClose, onSaved }: { campaign: CampaignFull; target: TargetRow; kinds: Checker[]; onClose: () => void; onSaved: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const today = dayjs().startOf('day');
  const save = async (v: Values) => {
    await api.post<TargetRow>(campaignUrl(campaign.id, `/targets/${encodeURIComponent(target.id)}/check`), {
      version: target.version,
      checkedOn: v.checkedOn.format('YYYY-MM-DD'),
      by: v.by,
      checkedByName: v.checkedByName?.trim() || undefined,
      results: campaign.checklist.map((item, i) => ({ itemId: item.id, ok: v.results[i]?.ok ?? true, note: v.results[i]?.note?.trim() || null })),
      note: v.note?.trim() || null,
      findings: (v.findings ?? []).map((f) => ({
        description: (f.description ?? '').trim(),
        grade: f.grade,
        clauseIds: f.grade === 'major' && f.clauseId ? [f.clauseId] : undefined,
        deadline: f.grade === 'general' && f.deadline && v.by !== 'expert' ? f.deadline.format('YYYY-MM-DD') : undefined,
        itemId: f.itemId,
      })),
    });
    onSaved();
  };
  return (
    <FormDrawer<Values>
      title={t('camp.check.title', { name: target.placeName })}
      onClose={onClose}
      save={save}
      testId="campaign-check"
      submitText={t('camp.check.submit')}
      onConflict={onSaved}
      conflictText={{ title: t('camp.check.conflict'), content: t('camp.check.conflictText') }}
      initialValues={{ checkedOn: today, by: kinds[0], results: campaign.checklist.map(() => ({ ok: true })), findings: [] }}
    >
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="checkedOn" label={t('camp.check.date')} rules={[{ required: true, message: t('common.select', { field: t('camp.check.date') }) }]}>
            <DatePicker style={{ width: '100%' }} inputReadOnly={phone} disabledDate={(d) => d.isAfter(today, 'day') || d.isBefore(dayjs(campaign.from), 'day')} data-testid="campaign-check-date" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="by" label={t('camp.check.by')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" options={kinds.map((k) => ({ value: k, label: pick(lang, CHECKER_LABELS[k]) }))} data-testid="campaign-check-by" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="checkedByName" label={t('camp.check.byName')}>
        <Input maxLength={100} placeholder={t('camp.check.byNamePh')} />
      </Form.Item>
      <Typography.Title level={5}>{t('camp.check.items')}</Typography.Title>
      <Flex vertical gap={8} style={{ marginBottom: 16 }} data-testid="campaign-check-items">
        {campaign.checklist.map((item, i) => (
          <Card key={item.id} size="small" type="inner">
            <Flex gap={8} align="center" wrap justify="space-between">
              <span style={{ flex: '1 1 240px' }}>{`${i + 1}. ${item.text}`}</span>
              <Form.Item name={['results', i, 'ok']} style={{ marginBottom: 0 }}>
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  size="small"
                  options={[
                    { value: true, label: t('camp.check.ok') },
                    { value: false, label: t('camp.check.notOk') },
                  ]}
                  data-testid={`campaign-check-item-${i + 1}`}
                />
              </Form.Item>
            </Flex>
            <Form.Item name={['results', i, 'note']} style={{ marginBottom: 0, marginTop: 8 }}>
              <Input size="small" maxLength={300} placeholder={t('camp.check.notePh')} />
            </Form.Item>
          </Card>
        ))}
      </Flex>
      <Form.Item name="note" label={t('camp.check.note')}>
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
      <Typography.Title level={5}>{t('camp.check.findings')}</Typography.Title>
      {target.enterpriseId ? (
        <Typography.Paragraph type="secondary">{t('camp.check.findingsHint')}</Typography.Paragraph>
      ) : (
        <Alert type="info" showIcon title={t('camp.check.noFindingsPlace')} style={{ marginBottom: 12 }} />
      )}
      {target.enterpriseId && <FindingRows checklist={campaign.checklist} />}
    </FormDrawer>
  );
}

function FindingRows({ checklist }: { checklist: CampaignFull['checklist'] }) {
  const t = useT();
  const phone = useIsPhone();
  const today = dayjs().startOf('day');
  const by = Form.useWatch('by') as Checker | undefined;
  return (
    <Form.List name="findings">
      {(fields, { add, remove }) => (
        <Flex vertical gap={12}>
          {fields.map((f, k) => (
            <Card
              key={f.key}
              size="small"
              type="inner"
              title={t('camp.check.finding', { n: k + 1 })}
              extra={<Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.close')} onClick={() => remove(f.name)} />}
              data-testid={`campaign-finding-${k + 1}`}
            >
              <Form.Item name={[f.name, 'description']} label={t('camp.check.description')} rules={[{ required: true, min: 5, message: t('camp.check.descriptionPh') }]}>
                <Input.TextArea rows={2} maxLength={2000} placeholder={t('camp.check.descriptionPh')} data-testid={`campaign-finding-${k + 1}-description`} />
              </Form.Item>
              <Form.Item name={[f.name, 'grade']} label={t('camp.check.grade')}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'general', label: t('camp.check.general') },
                    { value: 'major', label: t('camp.check.major') },
                  ]}
                  data-testid={`campaign-finding-${k + 1}-grade`}
                />
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.findings?.[f.name]?.grade !== b.findings?.[f.name]?.grade}>
                {({ getFieldValue }) =>
                  getFieldValue(['findings', f.name, 'grade']) === 'major' ? (
                    <Form.Item name={[f.name, 'clauseId']} label={t('camp.check.clause')} rules={[{ required: true, message: t('camp.check.clauseRequired') }]}>
                      <FindingClause name={f.name} testId={`campaign-finding-${k + 1}-clause`} />
                    </Form.Item>
                  ) : by !== 'expert' ? (
                    <Form.Item name={[f.name, 'deadline']} label={t('camp.check.deadline')} extra={t('camp.check.deadlineHint')}>
                      <DatePicker style={{ width: '100%' }} inputReadOnly={phone} disabledDate={(d) => d.isBefore(today, 'day')} data-testid={`campaign-finding-${k + 1}-deadline`} />
                    </Form.Item>
                  ) : null
                }
              </Form.Item>
              <Form.Item name={[f.name, 'itemId']} label={t('camp.check.item')} style={{ marginBottom: 0 }}>
                <Select allowClear options={checklist.map((it, i) => ({ value: it.id, label: `${i + 1}. ${it.text}` }))} />
              </Form.Item>
            </Card>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add({ grade: 'general' })} data-testid="campaign-finding-add">
            {t('camp.check.addFinding')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}
