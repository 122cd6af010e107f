import { App, Checkbox, Form, Input, InputNumber, Modal } from 'antd';
import type { Clause } from '../../../shared/contracts/standards';
import { api } from '../../api';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { blankToNull } from '../../format';
import { useOpenCount } from '../../hooks';
import { useT } from '../../i18n';

interface Values {
  no: string;
  category?: string;
  text: string;
  source?: string;
  isLeadIn?: boolean;
  sort?: number;
}

interface ModalProps {
  standardId: string;
  clause?: Clause;
  open: boolean;
  nextSort: number;
  onClose: () => void;
  onSaved: () => void;
}

/** Add a clause to a standard, or correct one, for those who may edit standards; a fresh form on every opening. */
export function ClauseModal(props: ModalProps) {
  return <ClauseDialog key={useOpenCount(props.open)} {...props} />;
}

function ClauseDialog({ standardId, clause, open, nextSort, onClose, onSaved }: ModalProps) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { busy, formError, onFinish } = useFormSubmit<Values>(form, async (v) => {
    const body = {
      no: v.no.trim(),
      category: blankToNull(v.category),
      text: v.text.trim(),
      source: blankToNull(v.source),
      isLeadIn: Boolean(v.isLeadIn),
      ...(v.sort !== undefined && v.sort !== null ? { sort: v.sort } : {}),
    };
    const base = `/api/standards/${encodeURIComponent(standardId)}/clauses`;
    if (clause) await api.patch(`${base}/${encodeURIComponent(clause.id)}`, body);
    else await api.post(base, body);
    void message.success(t('std.clauseSaved'));
    onSaved();
  });

  return (
    <Modal
      open={open}
      title={clause ? t('std.editClause') : t('std.addClause')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
      width={640}
    >
      <Form<Values>
        form={form}
        name="clause"
        layout="vertical"
        onFinish={onFinish}
        initialValues={
          clause
            ? { no: clause.no, category: clause.category ?? undefined, text: clause.text, source: clause.source ?? undefined, isLeadIn: clause.isLeadIn, sort: clause.sort }
            : { sort: nextSort, isLeadIn: false }
        }
      >
        <FormError error={formError} />
        <Form.Item name="no" label={t('std.clauseNo')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('std.clauseNo') }) }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="category" label={t('std.clauseCategory')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="text" label={t('std.clauseText')} rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('std.clauseText') }) }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} showCount />
        </Form.Item>
        <Form.Item name="source" label={t('std.clauseSource')}>
          <Input maxLength={1000} />
        </Form.Item>
        <Form.Item name="sort" label={t('std.clauseSort')}>
          <InputNumber min={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="isLeadIn" valuePropName="checked">
          <Checkbox>{t('std.clauseLeadIn')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}
