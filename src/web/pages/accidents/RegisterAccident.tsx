import { Alert, Col, DatePicker, Form, Radio, Row } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import type { AccidentDetail } from '../../../shared/contracts/accidents';
import { api } from '../../api';
import { EnterpriseSelect } from '../../components/EnterpriseSelect';
import { DistrictSelect, IndustrySelect, StreetSelect } from '../../components/RegionSelects';
import { scopeOf } from '../../format';
import { useIsPhone } from '../../hooks';
import { useT } from '../../i18n';
import { useMe } from '../../session';
import { CasualtyFields, DescriptionFields, FormDrawer, numOrUndefined, orUndefined } from './fields';

interface Values {
  occurredAt: Dayjs;
  reportedAt?: Dayjs | null;
  placement: 'enterprise' | 'region';
  enterpriseId?: string;
  districtCode?: string;
  streetCode?: string;
  industryCode?: string;
  place?: string;
  lng?: number | null;
  lat?: number | null;
  category: string;
  fireOrRoad?: boolean;
  deaths: number;
  missing?: number | null;
  seriousInjuries: number;
  directLossYuan: number;
  narrative: string;
}

/** 登记事故: when, where (an enterprise, or a district and street with the industry), what, the casualties; the server computes the grade. */
export function RegisterAccidentDrawer({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: (id: string) => void }) {
  const t = useT();
  const me = useMe();
  const scope = scopeOf(me.regionCode);
  if (!open) return null;
  const save = async (v: Values) => {
    const byEnterprise = v.placement === 'enterprise';
    const made = await api.post<AccidentDetail>('/api/accidents', {
      occurredAt: v.occurredAt.toISOString(),
      reportedAt: v.reportedAt ? v.reportedAt.toISOString() : undefined,
      enterpriseId: byEnterprise ? v.enterpriseId : undefined,
      districtCode: byEnterprise ? undefined : v.districtCode,
      streetCode: byEnterprise ? undefined : v.streetCode,
      industryCode: byEnterprise ? undefined : v.industryCode,
      place: orUndefined(v.place),
      lng: numOrUndefined(v.lng),
      lat: numOrUndefined(v.lat),
      category: v.category,
      fireOrRoad: !!v.fireOrRoad,
      deaths: v.deaths,
      missing: numOrUndefined(v.missing),
      seriousInjuries: v.seriousInjuries,
      directLossYuan: v.directLossYuan,
      narrative: v.narrative.trim(),
    });
    onSaved(made.id);
  };
  return (
    <FormDrawer<Values>
      title={t('acc.register')}
      onClose={onClose}
      save={save}
      testId="acc-register-form"
      initialValues={{ placement: 'enterprise', fireOrRoad: false, deaths: 0, missing: 0, seriousInjuries: 0, districtCode: scope.districtCode, streetCode: scope.streetCode }}
    >
      <Alert type="info" showIcon title={t('acc.f.gradeHint')} style={{ marginBottom: 16 }} />
      <WhenFields />
      <Form.Item name="placement" label={t('acc.f.placement')}>
        <Radio.Group optionType="button" options={(['enterprise', 'region'] as const).map((p) => ({ value: p, label: t(`acc.f.placement.${p}`) }))} data-testid="acc-placement" />
      </Form.Item>
      <PlacementFields lockedDistrict={scope.level !== 'city'} lockedStreet={scope.level === 'street'} />
      <DescriptionFields placeHint={t('acc.f.placeHint')} />
      <CasualtyFields />
    </FormDrawer>
  );
}

function WhenFields() {
  const t = useT();
  const phone = useIsPhone();
  const notFuture = (d: Dayjs) => d.isAfter(dayjs().endOf('day'));
  return (
    <Row gutter={12}>
      <Col xs={24} md={12}>
        <Form.Item name="occurredAt" label={t('acc.f.occurredAt')} rules={[{ required: true, message: t('common.select', { field: t('acc.f.occurredAt') }) }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={notFuture} inputReadOnly={phone} style={{ width: '100%' }} data-testid="acc-occurredAt" />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="reportedAt" label={t('acc.f.reportedAt')} extra={t('acc.f.reportedAtHint')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={notFuture} inputReadOnly={phone} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** The enterprise, or (without one) the district, street and industry: the accident's scope and its figures' district. */
function PlacementFields({ lockedDistrict, lockedStreet }: { lockedDistrict: boolean; lockedStreet: boolean }) {
  const t = useT();
  const form = Form.useFormInstance();
  const placement = Form.useWatch('placement', form) as Values['placement'] | undefined;
  const districtCode = Form.useWatch('districtCode', form) as string | undefined;
  if (placement !== 'region') {
    return (
      <Form.Item name="enterpriseId" label={t('acc.f.enterprise')} rules={[{ required: true, message: t('common.select', { field: t('acc.f.enterprise') }) }]}>
        <EnterpriseSelect data-testid="acc-enterprise" />
      </Form.Item>
    );
  }
  return (
    <Row gutter={12}>
      <Col xs={24} md={8}>
        <Form.Item name="districtCode" label={t('acc.f.district')} rules={[{ required: true, message: t('common.select', { field: t('acc.f.district') }) }]}>
          <DistrictSelect disabled={lockedDistrict} onChange={() => form.setFieldValue('streetCode', undefined)} data-testid="acc-district" />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item name="streetCode" label={t('acc.f.street')}>
          <StreetSelect districtCode={districtCode} disabled={lockedStreet} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item name="industryCode" label={t('acc.f.industry')}>
          <IndustrySelect />
        </Form.Item>
      </Col>
    </Row>
  );
}
