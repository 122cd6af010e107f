import { App, Col, Divider, Drawer, Form, Input, InputNumber, Row, Select } from 'antd';
import type { Rule } from 'antd/es/form';
import type { Enterprise, EnterpriseInput } from '../../../shared/contracts/enterprises';
import { RISK_CLASS_LABELS, RISK_CLASSES, STANDARDIZATION_LABELS, STANDARDIZATION_LEVELS } from '../../../shared/roles';
import { isValidUscc, normalizeUscc } from '../../../shared/uscc';
import { api } from '../../api';
import { DrawerFooter, FormError, useFormSubmit } from '../../components/FormParts';
import { DistrictSelect, IndustrySelect, StreetSelect } from '../../components/RegionSelects';
import { blankToNull, scopeOf } from '../../format';
import { useIsPhone, useOpenCount } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import type { Translate } from '../../i18n';
import { useMe } from '../../session';

type Values = {
  uscc: string;
  name: string;
  address: string;
  districtCode: string;
  streetCode?: string;
  industryCode: string;
  principalName: string;
  principalPhone?: string;
  safetyManagerName?: string;
  safetyManagerPhone?: string;
  riskClass: Enterprise['riskClass'];
  standardizationLevel: Enterprise['standardizationLevel'];
  lng?: number | null;
  lat?: number | null;
};

const USCC_FORMAT = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const PHONE = /^[0-9+\-() ]{5,30}$/;

// Server codes that concern one field, so the message appears under it.
const CODE_FIELDS: Record<string, string> = {
  INVALID_USCC: 'uscc',
  DUPLICATE_USCC: 'uscc',
  UNKNOWN_REGION: 'districtCode',
  STREET_NOT_IN_DISTRICT: 'streetCode',
  UNKNOWN_INDUSTRY: 'industryCode',
};

function usccRules(t: Translate): Rule[] {
  return [
    { required: true, message: t('common.required', { field: t('ent.uscc') }) },
    {
      validator: (_, value: string | undefined) => {
        if (!value) return Promise.resolve();
        if (!USCC_FORMAT.test(value)) return Promise.reject(new Error(t('ent.usccFormat')));
        if (!isValidUscc(value)) return Promise.reject(new Error(t('ent.usccCheck')));
        return Promise.resolve();
      },
    },
  ];
}

const phoneRule = (t: Translate): Rule => ({ pattern: PHONE, message: t('ent.phoneFormat') });

function toForm(e: Enterprise): Values {
  return {
    uscc: e.uscc,
    name: e.name,
    address: e.address,
    districtCode: e.districtCode,
    streetCode: e.streetCode ?? undefined,
    industryCode: e.industryCode,
    principalName: e.principalName,
    principalPhone: e.principalPhone ?? undefined,
    safetyManagerName: e.safetyManagerName ?? undefined,
    safetyManagerPhone: e.safetyManagerPhone ?? undefined,
    riskClass: e.riskClass,
    standardizationLevel: e.standardizationLevel,
    lng: e.lng,
    lat: e.lat,
  };
}

function toInput(v: Values): EnterpriseInput {
  return {
    uscc: normalizeUscc(v.uscc),
    name: v.name.trim(),
    address: v.address.trim(),
    districtCode: v.districtCode,
    streetCode: v.streetCode ?? null,
    industryCode: v.industryCode,
    principalName: v.principalName.trim(),
    principalPhone: blankToNull(v.principalPhone),
    safetyManagerName: blankToNull(v.safetyManagerName),
    safetyManagerPhone: blankToNull(v.safetyManagerPhone),
    riskClass: v.riskClass,
    standardizationLevel: v.standardizationLevel,
    lng: v.lng ?? null,
    lat: v.lat ?? null,
  };
}

/** Only what changed goes into a PATCH, so two people editing different fields do not collide needlessly. */
function changedFields(before: Enterprise, input: EnterpriseInput): Partial<EnterpriseInput> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if ((before as Record<string, unknown>)[k] !== v) out[k] = v;
  }
  return out as Partial<EnterpriseInput>;
}

interface DrawerProps {
  open: boolean;
  enterprise?: Enterprise;
  onClose: () => void;
  onSaved: (e: Enterprise) => void;
  onConflict?: () => void;
}

/** Create (no enterprise given) or edit an enterprise, in a drawer; a fresh form on every opening. */
export function EnterpriseFormDrawer(props: DrawerProps) {
  return <EnterpriseDrawer key={useOpenCount(props.open)} {...props} />;
}

function EnterpriseDrawer({ open, enterprise, onClose, onSaved, onConflict }: DrawerProps) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const scope = scopeOf(me.regionCode);
  const districtCode = Form.useWatch('districtCode', form);

  const initialValues: Partial<Values> = enterprise
    ? toForm(enterprise)
    : { riskClass: 'general', standardizationLevel: 'none', districtCode: scope.districtCode, streetCode: scope.streetCode };

  const { busy, formError, onFinish } = useFormSubmit<Values>(
    form,
    async (values) => {
      const input = toInput(values);
      let saved: Enterprise;
      if (enterprise) {
        saved = await api.patch<Enterprise>(`/api/enterprises/${enterprise.id}`, {
          ...changedFields(enterprise, input),
          version: enterprise.version,
        });
        void message.success(t('ent.updated'));
      } else {
        saved = await api.post<Enterprise>('/api/enterprises', input);
        void message.success(t('ent.created', { name: saved.name }));
      }
      onSaved(saved);
    },
    {
      codeFields: CODE_FIELDS,
      onConflict: {
        title: t('ent.versionConflict'),
        content: t('ent.versionConflictDetail'),
        reload: () => {
          onClose();
          onConflict?.();
        },
      },
    },
  );

  const required = (field: string) => ({ required: true, whitespace: true, message: t('common.required', { field }) });
  const chooseRequired = (field: string) => ({ required: true, message: t('common.select', { field }) });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={enterprise ? t('ent.edit') : t('ent.create')}
      size={phone ? '100%' : 720}
      destroyOnHidden
      data-testid="enterprise-form-drawer"
      footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy} testId="enterprise-form-submit" />}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={initialValues}
        scrollToFirstError={{ block: 'center' }}
        onValuesChange={(changed: Partial<Values>) => {
          if ('districtCode' in changed) form.setFieldValue('streetCode', undefined);
        }}
        data-testid="enterprise-form"
      >
        <FormError error={formError} />
        <Divider titlePlacement="start" plain>
          {t('ent.basic')}
        </Divider>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="uscc"
              label={t('ent.uscc')}
              rules={usccRules(t)}
              normalize={(v: string) => v.toUpperCase().replace(/\s/g, '')}
              validateFirst
            >
              <Input maxLength={18} className="zb-mono" autoComplete="off" spellCheck={false} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="name" label={t('ent.name')} rules={[required(t('ent.name')), { min: 2, max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="districtCode" label={t('ent.district')} rules={[chooseRequired(t('ent.district'))]}>
              <DistrictSelect disabled={scope.level !== 'city'} allowClear={false} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="streetCode"
              label={t('ent.street')}
              rules={scope.level === 'street' ? [chooseRequired(t('ent.street'))] : []}
            >
              <StreetSelect districtCode={districtCode} disabled={scope.level === 'street'} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="address" label={t('ent.address')} rules={[required(t('ent.address')), { max: 300 }]}>
              <Input maxLength={300} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="industryCode" label={t('ent.industry')} rules={[chooseRequired(t('ent.industry'))]}>
              <IndustrySelect />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="riskClass" label={t('ent.riskClass')} rules={[chooseRequired(t('ent.riskClass'))]}>
              <Select options={RISK_CLASSES.map((r) => ({ value: r, label: pick(lang, RISK_CLASS_LABELS[r]) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="standardizationLevel" label={t('ent.standardization')}>
              <Select options={STANDARDIZATION_LEVELS.map((s) => ({ value: s, label: pick(lang, STANDARDIZATION_LABELS[s]) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          {t('ent.contacts')}
        </Divider>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="principalName" label={t('ent.principalName')} rules={[required(t('ent.principalName')), { max: 50 }]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="principalPhone" label={t('ent.principalPhone')} rules={[phoneRule(t)]}>
              <Input maxLength={30} inputMode="tel" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="safetyManagerName" label={t('ent.safetyManagerName')} rules={[{ max: 50 }]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="safetyManagerPhone" label={t('ent.safetyManagerPhone')} rules={[phoneRule(t)]}>
              <Input maxLength={30} inputMode="tel" />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain>
          {t('ent.location')}
        </Divider>
        <Row gutter={16}>
          <Col xs={12}>
            <Form.Item name="lng" label={t('ent.lng')}>
              <InputNumber min={120} max={123} step={0.000001} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item name="lat" label={t('ent.lat')}>
              <InputNumber min={30} max={32.5} step={0.000001} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  );
}
