import { Form, Input, Modal } from 'antd';
import type { ButtonProps } from 'antd';
import { GRADE_LABELS, OPEN_STATUSES } from '../../../shared/contracts/hazards';
import type { Hazard } from '../../../shared/contracts/hazards';
import type { RiskDetail } from '../../../shared/contracts/risks';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { RemoteMultiSelect } from '../../components/RemoteSelect';
import { pick, useLang, useT } from '../../i18n';
import type { Lang } from '../../i18n';
import { riskUrl } from './model';

interface Values {
  hazardIds?: string[];
  codes?: string;
}

const labelOf = (lang: Lang, h: Hazard) => {
  const text = h.description.length > 40 ? `${h.description.slice(0, 40)}…` : h.description;
  return `${h.code} · ${pick(lang, GRADE_LABELS[h.grade])} · ${text}`;
};

/**
 * 关联隐患: hazards on the ledger picked by code or words (with nothing typed, the open ones of the
 * item's enterprise or district), or codes pasted in a list; the server links those the writer may see.
 */
export function LinkHazardsModal({ risk, onClose, onLinked }: { risk: RiskDetail; onClose: () => void; onLinked: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const [form] = Form.useForm<Values>();
  const linked = new Set(risk.hazards.map((h) => h.id));
  const search = async (q: string, signal: AbortSignal) => {
    const near = q ? { districtCode: risk.districtCode } : risk.enterprises.length === 1 ? { enterpriseId: risk.enterprises[0].id, status: OPEN_STATUSES.join(',') } : { districtCode: risk.districtCode, status: OPEN_STATUSES.join(',') };
    const list = await api.get<ListResult<Hazard>>('/api/hazards', { ...near, q: q || undefined, pageSize: 20 }, signal);
    return list.items.filter((h) => !linked.has(h.id)).map((h) => ({ value: h.id, label: labelOf(lang, h), record: h }));
  };
  /** Pasted codes to ids: each looked up on the ledger; the unknown ones named. */
  const resolve = async (text: string | undefined) => {
    const codes = [...new Set((text ?? '').split(/[\s,，;；]+/).map((c) => c.trim().toUpperCase()).filter(Boolean))];
    const found = await Promise.all(codes.map(async (code) => (await api.get<ListResult<Hazard>>('/api/hazards', { q: code, pageSize: 5 })).items.find((h) => h.code.toUpperCase() === code)));
    return { ids: found.flatMap((h) => (h ? [h.id] : [])), missing: codes.filter((_, i) => !found[i]) };
  };
  const { busy, formError, onFinish } = useFormSubmit<Values>(form, async (v) => {
    const pasted = await resolve(v.codes);
    if (pasted.missing.length) {
      form.setFields([{ name: 'codes', errors: [t('risk.link.notFound', { codes: pasted.missing.join('、') })] }]);
      return;
    }
    const ids = [...new Set([...(v.hazardIds ?? []), ...pasted.ids])];
    if (!ids.length) {
      form.setFields([{ name: 'hazardIds', errors: [t('risk.link.none')] }]);
      return;
    }
    await api.post(riskUrl(risk.id, '/hazards'), { hazardIds: ids });
    onLinked();
  });
  return (
    <Modal
      open
      title={t('risk.linkHazards')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okText={t('risk.link.submit')}
      okButtonProps={{ 'data-testid': 'risk-link-submit' } as ButtonProps}
      width={640}
    >
      <FormError error={formError} />
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void onFinish(v)}>
        <Form.Item name="hazardIds" label={t('risk.link.pick')}>
          <RemoteMultiSelect<Hazard> search={search} placeholder={t('risk.link.ph')} data-testid="risk-link-select" />
        </Form.Item>
        <Form.Item name="codes" label={t('risk.link.codes')} extra={t('risk.link.hint')}>
          <Input.TextArea rows={3} placeholder="YH-310115-2026-000001" data-testid="risk-link-codes" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
