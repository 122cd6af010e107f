import { CameraOutlined, PaperClipOutlined } from '@ant-design/icons';
import { App, Button, Upload } from 'antd';
import type { UploadFile, UploadProps } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, fileUrl } from '../api';
import type { UploadedFile } from '../api';
import { problemText } from '../errors';
import { useLang, useT } from '../i18n';

const MAX_BYTES = 20 * 1024 * 1024;
const DOCUMENTS = '.pdf,.docx,.xlsx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,image/jpeg,image/png,image/webp';

/**
 * Photos (straight from the phone's camera) and, unless photosOnly, documents, uploaded to
 * /api/files as soon as they are chosen. The form value is the ids of the finished uploads.
 */
export function EvidenceUpload({
  id,
  value,
  onChange,
  onUploadingChange,
  max = 9,
  photosOnly = false,
  'data-testid': testId,
}: {
  id?: string;
  value?: string[];
  onChange?: (ids: string[]) => void;
  onUploadingChange?: (uploading: boolean) => void;
  max?: number;
  photosOnly?: boolean;
  'data-testid'?: string;
}) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [files, setFiles] = useState<UploadFile<UploadedFile>[]>([]);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const onUploadingRef = useRef(onUploadingChange);
  onUploadingRef.current = onUploadingChange;

  // A form reset empties the value: forget the files too.
  useEffect(() => {
    if (!value?.length) setFiles((fs) => (fs.some((f) => f.status === 'done') ? fs.filter((f) => f.status !== 'done') : fs));
  }, [value]);

  const update = (next: UploadFile<UploadedFile>[]) => {
    setFiles(next);
    onUploadingRef.current?.(next.some((f) => f.status === 'uploading'));
    const ids = next.filter((f) => f.status === 'done' && f.response).map((f) => f.response!.id);
    const before = value ?? [];
    if (ids.length !== before.length || ids.some((x, i) => x !== before[i])) onChangeRef.current?.(ids);
  };

  const common: UploadProps<UploadedFile> = {
    fileList: files,
    multiple: true,
    maxCount: max,
    beforeUpload: (file) => {
      if (file.size > MAX_BYTES) {
        void message.error(t('upload.tooLarge', { name: file.name }));
        return Upload.LIST_IGNORE;
      }
      return true;
    },
    customRequest: ({ file, onSuccess, onError }) => {
      api.upload(file as File).then(
        (uploaded) => onSuccess?.(uploaded),
        (err: unknown) => {
          void message.error(t('upload.failed', { name: (file as File).name, text: problemText(err, lang, t) }));
          onError?.(err instanceof Error ? err : new Error(String(err)));
        },
      );
    },
    onChange: ({ fileList }) => update(fileList),
    onPreview: (file) => {
      if (file.response) window.open(fileUrl(file.response.id), '_blank', 'noopener');
    },
  };

  const full = files.length >= max;
  return (
    <div id={id} className="zb-evidence" data-testid={testId}>
      <Upload<UploadedFile> {...common} listType="picture-card" accept="image/*" capture="environment" className="zb-evidence-photos">
        {!full && (
          <div className="zb-evidence-trigger" data-testid="upload-photo">
            <CameraOutlined style={{ fontSize: 22 }} />
            <div>{t('upload.photo')}</div>
          </div>
        )}
      </Upload>
      {/* Kept mounted when full, its button hidden: the file that fills it is still being sent by it, and an unmounted upload drops its request. */}
      {!photosOnly && (
        <Upload<UploadedFile> {...common} accept={DOCUMENTS} showUploadList={false} className="zb-evidence-files">
          {!full && (
            <Button icon={<PaperClipOutlined />} data-testid="upload-file">
              {t('upload.file')}
            </Button>
          )}
        </Upload>
      )}
    </div>
  );
}
