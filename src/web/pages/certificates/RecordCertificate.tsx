import { Alert, Col, DatePicker, Form, Input, Radio, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import type { z } from 'zod';
import { CERTIFICATE_KIND_LABELS, CERTIFICATE_KINDS, validIdNumber } from '../../../shared/contracts/certificates';
import type { Certificate, CertificateKind, EnterpriseOperations, Operations } from '../../../shared/contracts/certificates';
import { api } from '../../api';
import { EnterpriseSelect } from '../../components/EnterpriseSelect';
import { useAsync, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { FormDrawer } from '../accidents/fields';

const DAY = 'YYYY-MM-DD';

/** POST /api/certificates: the certificate, and the hazards its recording put on the ledger or closed. */
export type Recorded = Certificate & { hazardsOpened: string[]; hazardsClosed: string[] };

interface Values {
  enterpriseId: string;
  kind: CertificateKind;
  operation?: string;
  holderName: string;
  idNumber: string;
  number: string;
  issuer: string;
  validFrom: Dayjs;
  validTo: Dayjs;
}

/**
 * 录入证书: the holder (the ID number checked here and at the server, then sealed: answers show only
 * its mask), the kind and, for a special operation, which one, the number, the issuer and the validity.
 * An enterprise records for itself; an office picks the enterprise.
 */
export function RecordCertificateDrawer({ onClose, onSaved }: { onClose: () => void; onSaved: (c: Recorded) => void }) {
  const t = useT();
  const me = useMe();
  const own = me.role === 'enterprise' ? me.enterpriseId : null;
  const save = async (v: Values) =>
    onSaved(
      await api.post<Recorded>('/api/certificates', {
        enterpriseId: own ?? v.enterpriseId,
        kind: v.kind,
        operation: v.kind === 'special_operation' ? v.operation : undefined,
        holderName: v.holderName.trim(),
        idNumber: v.idNumber.trim().toUpperCase(),
        number: v.number.trim(),
        issuer: v.issuer.trim(),
        validFrom: v.validFrom.format(DAY),
        validTo: v.validTo.format(DAY),
      }),
    );
  return (
    <FormDrawer<Values> title={t('cert.record')} onClose={onClose} save={save} testId="cert-form" submitText={t('cert.recordSubmit')} initialValues={{ kind: 'special_operation', enterpriseId: own ?? undefined }}>
      <Alert type="info" showIcon title={t('cert.f.idHint')} style={{ marginBottom: 16 }} />
      {own ? (
        <Form.Item label={t('cert.f.enterprise')}>
          <Input value={me.enterpriseName ?? ''} disabled data-testid="cert-enterprise-own" />
        </Form.Item>
      ) : (
        <Form.Item name="enterpriseId" label={t('cert.f.enterprise')} rules={[{ required: true, message: t('common.select', { field: t('cert.f.enterprise') }) }]}>
          <EnterpriseSelect data-testid="cert-enterprise" />
        </Form.Item>
      )}
      <KindFields enterpriseId={own} />
      <Row gutter={12}>
        <Col xs={24} md={10}>
          <Form.Item name="holderName" label={t('cert.f.holder')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('cert.f.holder') }) }]}>
            <Input maxLength={50} data-testid="cert-holder" />
          </Form.Item>
        </Col>
        <Col xs={24} md={14}>
          <Form.Item
            name="idNumber"
            label={t('cert.f.idNumber')}
            rules={[
              { required: true, message: t('common.required', { field: t('cert.f.idNumber') }) },
              {
                validator: async (_, v: string | undefined) => {
                  const id = (v ?? '').trim().toUpperCase();
                  if (!id) return;
                  if (!/^\d{17}[\dX]$/.test(id)) throw new Error(t('cert.f.idFormat'));
                  if (!validIdNumber(id)) throw new Error(t('cert.f.idCheck'));
                },
              },
            ]}
          >
            <Input maxLength={18} autoComplete="off" className="zb-mono" data-testid="cert-id-number" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={10}>
          <Form.Item name="number" label={t('cert.f.number')} rules={[{ required: true, min: 3, whitespace: true, message: t('cert.f.numberRule') }]}>
            <Input maxLength={50} data-testid="cert-number" />
          </Form.Item>
        </Col>
        <Col xs={24} md={14}>
          <Form.Item name="issuer" label={t('cert.f.issuer')} rules={[{ required: true, min: 2, whitespace: true, message: t('common.required', { field: t('cert.f.issuer') }) }]}>
            <Input maxLength={100} placeholder={t('cert.f.issuerPh')} data-testid="cert-issuer" />
          </Form.Item>
        </Col>
      </Row>
      <ValidityFields />
    </FormDrawer>
  );
}

/** The kind, and for a special operation which one (those the enterprise declares marked). */
function KindFields({ enterpriseId }: { enterpriseId: string | null }) {
  const t = useT();
  const { lang } = useLang();
  const form = Form.useFormInstance();
  const kind = Form.useWatch('kind', form) as CertificateKind | undefined;
  const picked = Form.useWatch('enterpriseId', form) as string | undefined;
  const ent = enterpriseId ?? picked;
  const catalogue = useAsync((signal) => api.get<z.infer<typeof Operations>>('/api/certificates/operations', undefined, signal), []);
  const declared = useAsync(
    async (signal) => (ent ? (await api.get<z.infer<typeof EnterpriseOperations>>(`/api/enterprises/${encodeURIComponent(ent)}/special-operations`, undefined, signal)).operations.map((o) => o.code) : []),
    [ent],
  );
  const mine = new Set(declared.data ?? []);
  // The enterprise's own operations first.
  const options = [...(catalogue.data?.items ?? [])]
    .sort((a, b) => Number(mine.has(b.code)) - Number(mine.has(a.code)))
    .map((o) => ({ value: o.code, label: mine.has(o.code) ? `${o.name}（${t('cert.declared')}）` : o.name }));
  return (
    <>
      <Form.Item name="kind" label={t('cert.f.kind')} rules={[{ required: true }]}>
        <Radio.Group
          onChange={() => form.setFieldValue('operation', undefined)}
          options={CERTIFICATE_KINDS.map((k) => ({ value: k, label: <span title={pick(lang, CERTIFICATE_KIND_LABELS[k])}>{t(`cert.kindShort.${k}`)}</span> }))}
          optionType="button"
          data-testid="cert-kind"
        />
      </Form.Item>
      {kind === 'special_operation' && (
        <Form.Item name="operation" label={t('cert.f.operation')} rules={[{ required: true, message: t('common.select', { field: t('cert.f.operation') }) }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} loading={catalogue.loading} options={options} data-testid="cert-operation" />
        </Form.Item>
      )}
    </>
  );
}

function ValidityFields() {
  const t = useT();
  const phone = useIsPhone();
  const form = Form.useFormInstance();
  const from = Form.useWatch('validFrom', form) as Dayjs | undefined;
  return (
    <Row gutter={12}>
      <Col xs={24} md={12}>
        <Form.Item name="validFrom" label={t('cert.f.validFrom')} rules={[{ required: true, message: t('common.select', { field: t('cert.f.validFrom') }) }]}>
          <DatePicker style={{ width: '100%' }} inputReadOnly={phone} data-testid="cert-valid-from" />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item
          name="validTo"
          label={t('cert.f.validTo')}
          dependencies={['validFrom']}
          rules={[
            { required: true, message: t('common.select', { field: t('cert.f.validTo') }) },
            { validator: async (_, v: Dayjs | undefined) => (v && from && v.isBefore(from, 'day') ? Promise.reject(new Error(t('cert.f.validToRule'))) : undefined) },
          ]}
        >
          <DatePicker style={{ width: '100%' }} inputReadOnly={phone} data-testid="cert-valid-to" />
        </Form.Item>
      </Col>
    </Row>
  );
}
