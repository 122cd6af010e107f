import { FileWordOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import type { ButtonProps } from 'antd';
import { useState } from 'react';
import { api } from '../api';
import { problemText } from '../errors';
import { useLang, useT } from '../i18n';

type FileButtonProps = Omit<ButtonProps, 'onClick' | 'loading'>;

/** A button that makes or fetches a file and saves it: busy meanwhile; a failure shows as the server's message. */
export function FileButton({ save, children, ...button }: { save: () => Promise<void> } & FileButtonProps) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await save();
    } catch (err) {
      void message.error(t('common.downloadFailed', { text: problemText(err, lang, t) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button {...button} loading={busy} onClick={() => void run()}>
      {children}
    </Button>
  );
}

/** A button that fetches a generated document (Word unless another icon says otherwise, e.g. a workbook) and saves it. */
export function DocButton({ path, query, fileName, icon = <FileWordOutlined />, ...button }: { path: string; query?: Record<string, string | undefined>; fileName: string } & FileButtonProps) {
  return <FileButton {...button} icon={icon} save={() => api.download(path, query, fileName)} />;
}
