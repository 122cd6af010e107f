import { EditOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { EnterpriseKinds as Kinds } from '../../../shared/contracts/training';
import type { z } from 'zod';
import { api } from '../../api';
import { FormError, useAction } from '../../components/FormParts';
import { useAsync } from '../../hooks';
import { useT } from '../../i18n';

type KindsT = z.infer<typeof Kinds>;

/** 企业类别 (二级医院, 大型商业综合体 …): what puts the enterprise in a year's focus training population; the offices tag them. */
export function EnterpriseKinds({ enterpriseId, mayEdit }: { enterpriseId: string; mayEdit: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const url = `/api/enterprises/${encodeURIComponent(enterpriseId)}/kinds`;
  const kinds = useAsync((signal) => api.get<KindsT>(url, undefined, signal), [url]);
  const [editing, setEditing] = useState<string[] | null>(null);
  const save = useAction();
  const k = kinds.data;
  return (
    <Card
      className="zb-card"
      size="small"
      title={t('train.kinds.title')}
      data-testid="enterprise-kinds"
      extra={
        mayEdit && k && !editing && (
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(k.kinds)} data-testid="enterprise-kinds-edit">
            {t('common.edit')}
          </Button>
        )
      }
    >
      {editing ? (
        <Flex vertical gap={8}>
          <FormError error={save.error} />
          <Select
            mode="tags"
            value={editing}
            onChange={setEditing}
            options={(k?.known ?? []).map((x) => ({ value: x, label: x }))}
            tokenSeparators={[',', '，', '、']}
            style={{ width: '100%' }}
            data-testid="enterprise-kinds-select"
          />
          <Typography.Text type="secondary">{t('train.kinds.hint')}</Typography.Text>
          <Flex gap={8} justify="flex-end">
            <Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              loading={save.busy}
              onClick={() =>
                void save.run(() => api.put(url, { kinds: editing.map((x) => x.trim()).filter(Boolean) }), t('train.kinds.saved')).then((ok) => {
                  if (!ok) return;
                  setEditing(null);
                  kinds.reload();
                })
              }
              data-testid="enterprise-kinds-save"
            >
              {t('common.save')}
            </Button>
          </Flex>
        </Flex>
      ) : k?.kinds.length ? (
        <Flex gap={4} wrap>
          {k.kinds.map((x) => (
            <Tag key={x} color="purple">
              {x}
            </Tag>
          ))}
        </Flex>
      ) : (
        <Typography.Text type="secondary">{kinds.loading ? t('common.loading') : t('train.kinds.none')}</Typography.Text>
      )}
    </Card>
  );
}
