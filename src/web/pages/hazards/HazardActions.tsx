import { DownOutlined } from '@ant-design/icons';
import { Alert, App, Button, Col, DatePicker, Divider, Dropdown, Form, Input, InputNumber, Modal, Radio, Row, Select } from 'antd';
import type { ButtonProps } from 'antd';
import type { Rule } from 'antd/es/form';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { ACTION_LABELS, HAZARD_ACTIONS } from '../../../shared/contracts/hazards';
import type { HazardAction, HazardDetail } from '../../../shared/contracts/hazards';
import { api } from '../../api';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { DistrictSelect } from '../../components/RegionSelects';
import { blankToNull } from '../../format';
import { useDepartments, useIsPhone, useOpenCount } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Translate } from '../../i18n';
import { supervisionText } from './HazardTags';

const DAY = 'YYYY-MM-DD';
const PHONE = /^[0-9+\-() ]{5,30}$/;
const MAIN: readonly HazardAction[] = ['assign', 'fix_on_spot', 'submit', 'accept'];
const DANGER: readonly HazardAction[] = ['void', 'reject'];

interface Values {
  deadline?: Dayjs;
  responsibleName?: string;
  responsiblePhone?: string;
  /** fundsFen holds yuan while editing, so that server errors on plan.fundsFen land under it */
  plan?: { measures?: string; fundsFen?: number; responsibleName?: string; deadline?: Dayjs; contingencyPlan?: string };
  comment?: string;
  note?: string;
  reason?: string;
  attachmentIds?: string[];
  target?: 'district' | 'department';
  districtCode?: string;
  departmentId?: string;
  level?: 'district' | 'city';
}

/** The supervision levels this user may set that the hazard does not have yet. */
const newLevels = (h: HazardDetail) => h.supervisionLevels.filter((l): l is 'district' | 'city' => l !== 'none' && l !== h.supervisionLevel);

const beforeToday = (d: Dayjs) => d.isBefore(dayjs().startOf('day'));
const text = (s: string | undefined) => blankToNull(s) ?? undefined;

/** The request body of each action, from the form; undefined fields are left out of the JSON. */
function bodyFor(action: HazardAction, h: HazardDetail, v: Values): Record<string, unknown> {
  const version = h.version;
  switch (action) {
    case 'assign': {
      const deadline = v.deadline!.format(DAY);
      const responsibleName = v.responsibleName!.trim();
      const plan =
        h.grade === 'major' && v.plan
          ? {
              measures: v.plan.measures!.trim(),
              fundsFen: Math.round((v.plan.fundsFen ?? 0) * 100),
              responsibleName: text(v.plan.responsibleName) ?? responsibleName,
              deadline: v.plan.deadline ? v.plan.deadline.format(DAY) : deadline,
              contingencyPlan: v.plan.contingencyPlan!.trim(),
            }
          : undefined;
      return { version, deadline, responsibleName, responsiblePhone: text(v.responsiblePhone), plan, comment: text(v.comment) };
    }
    case 'fix_on_spot':
    case 'submit':
      return { version, note: v.note!.trim(), attachmentIds: v.attachmentIds ?? [] };
    case 'accept':
      return { version, note: text(v.note), attachmentIds: v.attachmentIds?.length ? v.attachmentIds : undefined };
    case 'reject':
      return { version, reason: v.reason!.trim(), attachmentIds: v.attachmentIds?.length ? v.attachmentIds : undefined };
    case 'extend':
      return { version, deadline: v.deadline!.format(DAY), reason: v.reason!.trim() };
    case 'transfer':
      return v.target === 'department'
        ? { version, departmentId: v.departmentId, reason: v.reason!.trim() }
        : { version, districtCode: v.districtCode, reason: v.reason!.trim() };
    case 'supervise':
      return { version, level: v.level, comment: text(v.comment) };
    case 'void':
      return { version, reason: v.reason!.trim() };
  }
}

function rules(t: Translate) {
  return {
    text: (field: string): Rule[] => [{ required: true, whitespace: true, message: t('common.required', { field }) }, { max: 2000 }],
    choose: (field: string): Rule[] => [{ required: true, message: t('common.select', { field }) }],
    evidence: [
      {
        validator: (_: unknown, ids: string[] | undefined) => (ids?.length ? Promise.resolve() : Promise.reject(new Error(t('hz.fEvidenceRequired')))),
      },
    ] as Rule[],
  };
}

interface ModalProps {
  hazard: HazardDetail;
  action: HazardAction | null;
  onClose: () => void;
  onDone: (h: HazardDetail) => void;
  onConflict: () => void;
}

/** The form of one workflow step, in a modal; a fresh form on every opening. */
export function HazardActionModal(props: ModalProps) {
  return <ActionModal key={useOpenCount(props.action !== null)} {...props} />;
}

function ActionModal({ hazard: h, action, onClose, onDone, onConflict }: ModalProps) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [uploading, setUploading] = useState(false);
  const departments = useDepartments();
  const target = Form.useWatch('target', form);
  const r = rules(t);

  const { busy, formError, onFinish } = useFormSubmit<Values>(
    form,
    async (v) => {
      if (!action) return;
      const detail = await api.post<HazardDetail>(`/api/hazards/${encodeURIComponent(h.id)}/actions/${action}`, bodyFor(action, h, v));
      void message.success(t('hz.actionDone', { action: pick(lang, ACTION_LABELS[action]) }));
      onDone(detail);
    },
    {
      onConflict: {
        title: t('hz.conflict'),
        content: t('hz.conflictDetail'),
        reload: () => {
          onClose();
          onConflict();
        },
      },
    },
  );

  if (!action) return null;
  const levels = newLevels(h);
  const initialValues: Values = {
    target: 'district',
    level: levels[0],
    responsibleName: h.responsibleName ?? undefined,
    responsiblePhone: h.responsiblePhone ?? undefined,
  };

  const evidence = (required: boolean, label = t('hz.fEvidence')) => (
    <Form.Item name="attachmentIds" label={label} rules={required ? r.evidence : []} extra={t('upload.fileTypes')}>
      <EvidenceUpload onUploadingChange={setUploading} data-testid="action-upload" />
    </Form.Item>
  );

  const fields = (() => {
    switch (action) {
      case 'assign':
        return (
          <>
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item name="deadline" label={t('hz.deadline')} rules={r.choose(t('hz.deadline'))}>
                  <DatePicker disabledDate={beforeToday} style={{ width: '100%' }} inputReadOnly={phone} data-testid="action-deadline" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="responsibleName" label={t('hz.fResponsibleName')} rules={[...r.text(t('hz.fResponsibleName')), { max: 50 }]}>
                  <Input maxLength={50} data-testid="action-responsible" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="responsiblePhone" label={t('hz.fResponsiblePhone')} rules={[{ pattern: PHONE, message: t('ent.phoneFormat') }]}>
                  <Input maxLength={30} inputMode="tel" />
                </Form.Item>
              </Col>
            </Row>
            {h.grade === 'major' && (
              <>
                <Divider titlePlacement="start" plain>
                  {t('hz.plan')}
                </Divider>
                <Alert type="warning" showIcon title={t('hz.planHint')} style={{ marginBottom: 12 }} />
                <Form.Item name={['plan', 'measures']} label={t('hz.planMeasures')} rules={r.text(t('hz.planMeasures'))}>
                  <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
                </Form.Item>
                <Row gutter={12}>
                  <Col xs={24} sm={12}>
                    <Form.Item name={['plan', 'fundsFen']} label={t('hz.planFundsYuan')} rules={[{ required: true, message: t('common.required', { field: t('hz.planFundsYuan') }) }]}>
                      <InputNumber min={0} max={1e11} precision={2} style={{ width: '100%' }} inputMode="decimal" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name={['plan', 'responsibleName']} label={t('hz.planResponsible')} extra={t('hz.planSameResponsible')}>
                      <Input maxLength={50} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name={['plan', 'deadline']} label={t('hz.planDeadline')} extra={t('hz.planSameDeadline')}>
                      <DatePicker disabledDate={beforeToday} style={{ width: '100%' }} inputReadOnly={phone} />
                    </Form.Item>
                  </Col>
                </Row>
                <Form.Item name={['plan', 'contingencyPlan']} label={t('hz.planContingency')} rules={r.text(t('hz.planContingency'))}>
                  <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
                </Form.Item>
              </>
            )}
            <Form.Item name="comment" label={t('hz.fComment')}>
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
            </Form.Item>
          </>
        );
      case 'fix_on_spot':
      case 'submit':
        return (
          <>
            <Form.Item name="note" label={action === 'submit' ? t('hz.fNote') : t('hz.fFixNote')} rules={r.text(t('hz.fNote'))}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount data-testid="action-note" />
            </Form.Item>
            {evidence(true)}
          </>
        );
      case 'accept': {
        // A major hazard is accepted with an opinion and evidence; of two acceptors, the second confirms the first's evidence.
        const major = h.grade === 'major';
        const confirming = h.awaitingConfirmation;
        return (
          <>
            {major && h.acceptorsNeeded === 2 && (
              <Alert type="info" showIcon title={confirming ? t('hz.acceptConfirmHint') : t('hz.acceptFirstHint')} style={{ marginBottom: 12 }} data-testid="action-accept-stage" />
            )}
            <Form.Item name="note" label={t('hz.fAcceptNote')} rules={major ? r.text(t('hz.fAcceptNote')) : [{ max: 2000 }]}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} data-testid="action-note" />
            </Form.Item>
            {evidence(major && !confirming, major ? t('hz.fAcceptEvidence') : t('hz.fAttachments'))}
          </>
        );
      }
      case 'reject':
        return (
          <>
            <Form.Item name="reason" label={t('hz.fRejectReason')} rules={r.text(t('hz.fRejectReason'))}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} data-testid="action-reason" />
            </Form.Item>
            {evidence(false, t('hz.fAttachments'))}
          </>
        );
      case 'extend':
        return (
          <>
            <Form.Item
              name="deadline"
              label={t('hz.fNewDeadline')}
              rules={[
                ...r.choose(t('hz.fNewDeadline')),
                {
                  validator: (_, d: Dayjs | undefined) =>
                    !d || !h.deadline || d.format(DAY) > h.deadline ? Promise.resolve() : Promise.reject(new Error(t('hz.fDeadlineAfter', { date: h.deadline }))),
                },
              ]}
              extra={h.deadline ? `${t('hz.deadline')}：${h.deadline}` : undefined}
            >
              <DatePicker
                disabledDate={(d) => beforeToday(d) || (!!h.deadline && d.format(DAY) <= h.deadline)}
                style={{ width: '100%' }}
                inputReadOnly={phone}
              />
            </Form.Item>
            <Form.Item name="reason" label={t('hz.fExtendReason')} rules={r.text(t('hz.fExtendReason'))}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
            </Form.Item>
          </>
        );
      case 'transfer':
        return (
          <>
            <Form.Item name="target" label={t('hz.fTransferTo')}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'district', label: t('hz.fToDistrict') },
                  { value: 'department', label: t('hz.fToDepartment') },
                ]}
              />
            </Form.Item>
            {target === 'department' ? (
              <Form.Item name="departmentId" label={t('hz.fDepartment')} rules={r.choose(t('hz.fDepartment'))}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={departments.loading}
                  options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.regionName ? `${d.name}（${d.regionName}）` : d.name }))}
                />
              </Form.Item>
            ) : (
              <Form.Item name="districtCode" label={t('hz.fDistrict')} rules={r.choose(t('hz.fDistrict'))}>
                <DistrictSelect allowClear={false} />
              </Form.Item>
            )}
            <Form.Item name="reason" label={t('hz.fTransferReason')} rules={r.text(t('hz.fTransferReason'))}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
            </Form.Item>
          </>
        );
      case 'supervise':
        return (
          <>
            <Form.Item name="level" label={t('hz.fLevel')} rules={r.choose(t('hz.fLevel'))}>
              <Radio.Group options={levels.map((l) => ({ value: l, label: supervisionText(t, l) }))} />
            </Form.Item>
            <Form.Item name="comment" label={t('hz.fComment')}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
            </Form.Item>
          </>
        );
      case 'void':
        return (
          <>
            <Alert type="warning" showIcon title={t('hz.fVoidWarn')} style={{ marginBottom: 12 }} />
            <Form.Item name="reason" label={t('hz.fVoidReason')} rules={r.text(t('hz.fVoidReason'))}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
            </Form.Item>
          </>
        );
    }
  })();

  return (
    <Modal
      open
      title={`${pick(lang, ACTION_LABELS[action])} · ${h.code}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('hz.fSubmit')}
      okButtonProps={{ danger: DANGER.includes(action), disabled: uploading, 'data-testid': 'action-submit' } as ButtonProps}
      confirmLoading={busy}
      destroyOnHidden
      width={action === 'assign' && h.grade === 'major' ? 720 : 560}
      data-testid="action-modal"
    >
      <Form<Values> form={form} name={`hazard-${action}`} layout="vertical" onFinish={onFinish} initialValues={initialValues} scrollToFirstError={{ block: 'center' }}>
        <FormError error={formError} />
        {fields}
      </Form>
    </Modal>
  );
}

/** Why a step this user could otherwise take is someone else's (separation of duties), shown where its button would be. */
export function HeldBackNotes({ hazard: h }: { hazard: HazardDetail }) {
  const t = useT();
  if (!h.heldBack.length && !h.awaitingConfirmation) return null;
  return (
    <>
      {h.awaitingConfirmation && <Alert type="info" showIcon title={t('hz.awaitingConfirmation')} style={{ marginBottom: 8 }} data-testid="hazard-awaiting-confirmation" />}
      {h.heldBack.map((x) => (
        <Alert key={x.action} type="warning" showIcon title={x.reason} style={{ marginBottom: 8 }} data-testid={`hazard-held-back-${x.action}`} />
      ))}
    </>
  );
}

/** The buttons of the steps this user may take now; on a phone the secondary ones fold into a menu. */
export function HazardActionButtons({ hazard: h, onPick }: { hazard: HazardDetail; onPick: (a: HazardAction) => void }) {
  const { lang } = useLang();
  const t = useT();
  const phone = useIsPhone();
  // Supervision is offered only when there is a level left to set.
  const ordered = HAZARD_ACTIONS.filter((a) => h.allowedActions.includes(a) && (a !== 'supervise' || newLevels(h).length > 0));
  const main = ordered.filter((a) => MAIN.includes(a));
  const rest = ordered.filter((a) => !MAIN.includes(a));
  const button = (a: HazardAction, primary: boolean) => (
    <Button key={a} type={primary ? 'primary' : 'default'} danger={DANGER.includes(a)} onClick={() => onPick(a)} data-testid={`hazard-action-${a}`}>
      {pick(lang, ACTION_LABELS[a])}
    </Button>
  );
  return (
    <>
      {main.map((a, i) => button(a, i === 0))}
      {phone && rest.length > 1 ? (
        <Dropdown
          trigger={['click']}
          menu={{
            items: rest.map((a) => ({ key: a, label: pick(lang, ACTION_LABELS[a]), danger: DANGER.includes(a), 'data-testid': `hazard-action-${a}` })),
            onClick: ({ key }) => onPick(key as HazardAction),
          }}
        >
          <Button data-testid="hazard-more-actions">
            {t('hz.moreActions')} <DownOutlined />
          </Button>
        </Dropdown>
      ) : (
        rest.map((a) => button(a, false))
      )}
    </>
  );
}
