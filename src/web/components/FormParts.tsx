import { Alert, App, Button, Space } from 'antd';
import type { FormInstance } from 'antd';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError } from '../api';
import { applyProblemToForm, problemText } from '../errors';
import { useLang, useT } from '../i18n';

/** The message of a failed submit that belongs to no single field, above the form. */
export function FormError({ error }: { error: string | null }) {
  if (!error) return null;
  return <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="form-error" />;
}

/** Cancel and save at the foot of a form drawer. */
export function DrawerFooter({
  onCancel,
  onSubmit,
  busy,
  submitText,
  testId,
}: {
  onCancel: () => void;
  onSubmit: () => void;
  busy: boolean;
  submitText?: ReactNode;
  testId?: string;
}) {
  const t = useT();
  return (
    <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
      <Button onClick={onCancel}>{t('common.cancel')}</Button>
      <Button type="primary" loading={busy} onClick={onSubmit} data-testid={testId}>
        {submitText ?? t('common.save')}
      </Button>
    </Space>
  );
}

export interface SubmitOptions {
  /** server codes that concern one field (DUPLICATE_USCC → uscc) */
  codeFields?: Record<string, string>;
  /** server paths the form shows under another field name */
  pathAlias?: Record<string, string>;
  /** Someone else saved first (409 VERSION_CONFLICT): say so, then this runs when the user agrees to reload. */
  onConflict?: { title: string; content: string; reload: () => void };
}

/**
 * The busy flag and the form-level error of a form that saves to the server: runs the save,
 * puts a failure's field errors on the fields and the rest above the form.
 */
export function useFormSubmit<V>(form: FormInstance, save: (values: V) => Promise<unknown>, options: SubmitOptions = {}) {
  const t = useT();
  const { lang } = useLang();
  const { modal } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const onFinish = async (values: V) => {
    setBusy(true);
    setFormError(null);
    try {
      await save(values);
    } catch (err) {
      const conflict = options.onConflict;
      if (conflict && err instanceof ApiError && err.code === 'VERSION_CONFLICT') {
        modal.warning({ title: conflict.title, content: conflict.content, okText: t('common.reload'), onOk: conflict.reload });
      } else {
        setFormError(applyProblemToForm(form, err, lang, t, options.codeFields, options.pathAlias));
      }
    } finally {
      setBusy(false);
    }
  };

  return { busy, formError, setFormError, onFinish };
}

/**
 * A server call behind a button that is not a form (a step, a drawer of plain inputs): busy while it
 * runs, its success said (when `done` says it), a failure's text kept for `FormError` (and handed to `onError`, to reload
 * on a version conflict or list the rows refused). Answers whether it succeeded.
 */
export function useAction() {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (call: () => Promise<unknown>, done?: string, onError?: (err: unknown) => void): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await call();
      if (done) void message.success(done);
      return true;
    } catch (err) {
      setError(problemText(err, lang, t));
      onError?.(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
