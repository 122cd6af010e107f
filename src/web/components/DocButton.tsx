import { FileWordOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import type { ButtonProps } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { problemText } from '../errors';
import { useLang, useT } from '../i18n';

/** A button that fetches a generated Word document and saves it; a refusal shows as the server's message. */
export function DocButton({ path, query, fileName, children, ...button }: { path: string; query?: Record<string, string | undefined>; fileName: string } & Omit<ButtonProps, 'onClick' | 'loading' | 'icon'>) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    try {
      await api.download(path, query, fileName);
    } catch (err) {
      void message.error(t('common.downloadFailed', { text: problemText(err, lang, t) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button {...button} icon={<FileWordOutlined />} loading={busy} onClick={() => void save()}>
      {children}
    </Button>
  );
}
