import { Alert, App, Button, Empty, Form, Input, InputNumber, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import type { z } from 'zod';
import type { ApiToken as ApiTokenSchema, ApiTokenCreated as ApiTokenCreatedSchema, User } from '../../../shared/contracts/users';
import { api, itemsOf } from '../../api';
import type { ListResult } from '../../api';
import { ErrorState } from '../../components/Feedback';
import { RemoteSelect } from '../../components/RemoteSelect';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { problemText } from '../../errors';
import { formatDateTime } from '../../format';
import { useAsync, useIsPhone, useOpenCount } from '../../hooks';
import { useLang, useT } from '../../i18n';

type ApiToken = z.infer<typeof ApiTokenSchema>;
type ApiTokenCreated = z.infer<typeof ApiTokenCreatedSchema>;

interface Values {
  userId: string;
  name: string;
  expiresInDays?: number;
}

async function searchUsers(q: string, signal: AbortSignal) {
  const list = await api.get<ListResult<User>>('/api/users', { q: q || undefined, pageSize: 20 }, signal);
  return list.items.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）`, record: u }));
}

function tokenState(tk: ApiToken): 'revoked' | 'expired' | 'active' {
  if (tk.revokedAt) return 'revoked';
  if (tk.expiresAt && new Date(tk.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'active';
}

/** Bearer tokens for machine clients (department systems); the secret is shown once, at creation. */
export function TokensTab({ creating, onCreateClose }: { creating: boolean; onCreateClose: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const createCount = useOpenCount(creating);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const tokens = useAsync(async (signal) => itemsOf(await api.get<ApiToken[] | { items: ApiToken[] }>('/api/tokens', undefined, signal)), []);

  const columns = useMemo<TableColumnsType<ApiToken>>(
    () => [
      { key: 'name', title: t('token.name'), dataIndex: 'name' },
      { key: 'user', title: t('token.user'), dataIndex: 'username', render: (v: string) => <span className="zb-mono">{v}</span> },
      { key: 'prefix', title: t('token.prefix'), dataIndex: 'prefix', render: (v: string) => <span className="zb-mono">{v}…</span> },
      { key: 'created', title: t('token.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
      { key: 'expires', title: t('token.expiresAt'), dataIndex: 'expiresAt', render: (v: string | null) => (v ? formatDateTime(v) : t('token.never')) },
      { key: 'used', title: t('token.lastUsed'), dataIndex: 'lastUsedAt', render: (v: string | null) => formatDateTime(v) },
      {
        key: 'status',
        title: t('token.status'),
        render: (_: unknown, tk) => {
          const state = tokenState(tk);
          return <Tag color={state === 'active' ? 'green' : state === 'expired' ? 'orange' : 'default'}>{t(`token.${state}`)}</Tag>;
        },
      },
      {
        key: 'actions',
        title: t('common.actions'),
        fixed: 'right',
        render: (_: unknown, tk) =>
          tokenState(tk) === 'active' && (
            <Popconfirm
              title={t('token.revoke')}
              description={t('token.revokeConfirm')}
              okButtonProps={{ danger: true }}
              onConfirm={async () => {
                try {
                  await api.post(`/api/tokens/${encodeURIComponent(tk.id)}/revoke`);
                  void message.success(t('token.revoked.done'));
                  tokens.reload();
                } catch (err) {
                  void message.error(problemText(err, lang, t));
                }
              }}
            >
              <Button size="small" danger>
                {t('token.revoke')}
              </Button>
            </Popconfirm>
          ),
      },
    ],
    [t, lang, message, tokens],
  );

  return (
    <>
      {tokens.error && !tokens.loading ? (
        <ErrorState error={tokens.error} onRetry={tokens.reload} />
      ) : (
        <Table<ApiToken>
          rowKey="id"
          columns={columns}
          dataSource={tokens.data ?? []}
          loading={tokens.loading}
          size={phone ? 'small' : 'middle'}
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t('common.empty')} /> }}
          data-testid="token-table"
        />
      )}
      <TokenCreateModal
        key={createCount}
        open={creating}
        onClose={onCreateClose}
        onCreated={(tk) => {
          onCreateClose();
          setCreated(tk);
          tokens.reload();
        }}
      />
      <Modal
        open={created !== null}
        title={t('token.createdTitle')}
        closable={false}
        mask={{ closable: false }}
        keyboard={false}
        footer={
          <Button type="primary" onClick={() => setCreated(null)} data-testid="token-created-close">
            {t('common.close')}
          </Button>
        }
      >
        <Alert type="warning" showIcon title={t('token.showOnce')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph
          copyable={{ text: created?.token ?? '', tooltips: [t('common.copy'), t('common.copied')] }}
          className="zb-mono zb-token"
          data-testid="token-secret"
        >
          {created?.token}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}

function TokenCreateModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (tk: ApiTokenCreated) => void }) {
  const t = useT();
  const [form] = Form.useForm<Values>();
  const { busy, formError, onFinish } = useFormSubmit<Values>(form, async (v) => {
    const tk = await api.post<ApiTokenCreated>('/api/tokens', {
      userId: v.userId,
      name: v.name.trim(),
      ...(v.expiresInDays ? { expiresInDays: v.expiresInDays } : {}),
    });
    onCreated(tk);
  });

  return (
    <Modal
      open={open}
      title={t('token.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form<Values> form={form} name="token" layout="vertical" onFinish={onFinish} initialValues={{ expiresInDays: 365 }}>
        <FormError error={formError} />
        <Form.Item name="userId" label={t('token.user')} rules={[{ required: true, message: t('common.select', { field: t('token.user') }) }]}>
          <RemoteSelect<User> search={searchUsers} placeholder={t('user.searchPlaceholder')} />
        </Form.Item>
        <Form.Item name="name" label={t('token.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="expiresInDays" label={t('token.expiresInDays')} extra={t('token.expiresHint')}>
          <InputNumber min={1} max={3650} style={{ width: 160 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
