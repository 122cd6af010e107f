import { App, Button, Form, Input, Modal } from 'antd';
import { PASSWORD_MIN } from '../../shared/contracts/users';
import { api } from '../api';
import { useT } from '../i18n';
import type { Translate } from '../i18n';
import { FormError, useFormSubmit } from './FormParts';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function passwordRules(t: Translate) {
  return [
    { required: true, message: t('common.required', { field: t('password.new') }) },
    { min: PASSWORD_MIN, message: t('password.tooShort', { min: PASSWORD_MIN }) },
    {
      validator: (_: unknown, value: string | undefined) =>
        !value || (/[A-Za-z]/.test(value) && /\d/.test(value)) ? Promise.resolve() : Promise.reject(new Error(t('password.letterDigit'))),
    },
  ];
}

/** The form itself, used both in the header's modal and on the forced first-sign-in page. */
export function ChangePasswordForm({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { busy, formError, onFinish } = useFormSubmit<Values>(
    form,
    async (values) => {
      await api.post('/api/me/password', { currentPassword: values.currentPassword, newPassword: values.newPassword });
      void message.success(t('password.changed'));
      form.resetFields();
      onDone();
    },
    { codeFields: { INVALID_CREDENTIALS: 'currentPassword', WRONG_PASSWORD: 'currentPassword' } },
  );

  return (
    <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} data-testid="password-form">
      <FormError error={formError} />
      <Form.Item
        name="currentPassword"
        label={t('password.current')}
        rules={[{ required: true, message: t('common.required', { field: t('password.current') }) }]}
      >
        <Input.Password autoComplete="current-password" />
      </Form.Item>
      <Form.Item name="newPassword" label={t('password.new')} rules={passwordRules(t)} extra={t('password.rule', { min: PASSWORD_MIN })}>
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('common.required', { field: t('password.confirm') }) },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              !value || getFieldValue('newPassword') === value ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
        {onCancel && <Button onClick={onCancel}>{t('common.cancel')}</Button>}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">
          {t('password.submit')}
        </Button>
      </div>
    </Form>
  );
}

export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  return (
    <Modal open={open} title={t('password.title')} onCancel={onClose} footer={null} destroyOnHidden>
      <ChangePasswordForm onDone={onClose} onCancel={onClose} />
    </Modal>
  );
}
