import { DownOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { App, Button, Card, Dropdown, Form, Input, Modal, Select, Space, Tabs, Tag } from 'antd';
import type { MenuProps, TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { User } from '../../../shared/contracts/users';
import { ROLE_LABELS, ROLES } from '../../../shared/roles';
import { api } from '../../api';
import { passwordRules } from '../../components/ChangePassword';
import { FilterItem, ListPage } from '../../components/ListPage';
import { PageHeader } from '../../components/PageHeader';
import { RoleLabel } from '../../components/Tags';
import { problemText } from '../../errors';
import { formatDateTime } from '../../format';
import { pick, useLang, useT } from '../../i18n';
import { useSession } from '../../session';
import { TokensTab } from './TokensTab';
import { UserFormDrawer } from './UserForm';

type Dialog = { kind: 'rename' | 'reset'; user: User } | null;

const isLocked = (u: User) => !!u.lockedUntil && new Date(u.lockedUntil).getTime() > Date.now();

/** A one-field form in a modal: rename a user, or set a new password for them. */
function UserDialog({ dialog, onClose, onDone }: { dialog: Dialog; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ value: string }>();
  const [busy, setBusy] = useState(false);
  if (!dialog) return null;
  const { kind, user } = dialog;

  const onFinish = async ({ value }: { value: string }) => {
    setBusy(true);
    try {
      if (kind === 'rename') {
        await api.patch(`/api/users/${encodeURIComponent(user.id)}`, { displayName: value.trim() });
        void message.success(t('user.updated'));
      } else {
        await api.post(`/api/users/${encodeURIComponent(user.id)}/reset-password`, { password: value });
        void message.success(t('user.resetDone'));
      }
      onDone();
    } catch (err) {
      form.setFields([{ name: 'value', errors: [problemText(err, lang, t)] }]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={`${kind === 'rename' ? t('user.rename') : t('user.resetPassword')} · ${user.username}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      okText={t('common.save')}
      destroyOnHidden
    >
      <Form form={form} name="userDialog" layout="vertical" onFinish={onFinish} initialValues={{ value: kind === 'rename' ? user.displayName : '' }}>
        {kind === 'rename' ? (
          <Form.Item name="value" label={t('user.displayName')} rules={[{ required: true, whitespace: true, max: 50 }]}>
            <Input maxLength={50} autoFocus />
          </Form.Item>
        ) : (
          <Form.Item name="value" label={t('password.new')} rules={passwordRules(t)}>
            <Input.Password autoComplete="new-password" autoFocus />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function UsersTab({ reloadKey, onChanged }: { reloadKey: number; onChanged: () => void }) {
  const t = useT();
  const { lang } = useLang();
  const { modal, message } = App.useApp();
  const [dialog, setDialog] = useState<Dialog>(null);

  const columns = useMemo<TableColumnsType<User>>(() => {
    const act = async (call: () => Promise<unknown>, done: string) => {
      try {
        await call();
        void message.success(done);
        onChanged();
      } catch (err) {
        void message.error(problemText(err, lang, t));
      }
    };
    const actions = (u: User): MenuProps => ({
      items: [
        { key: 'rename', label: t('user.rename') },
        { key: 'reset', label: t('user.resetPassword') },
        ...(isLocked(u) ? [{ key: 'unlock', label: t('user.unlock') }] : []),
        { type: 'divider' as const },
        u.status === 'active' ? { key: 'disable', label: t('user.disable'), danger: true } : { key: 'enable', label: t('user.enable') },
      ],
      onClick: ({ key }) => {
        const path = `/api/users/${encodeURIComponent(u.id)}`;
        if (key === 'rename' || key === 'reset') setDialog({ kind: key, user: u });
        if (key === 'unlock') void act(() => api.post(`${path}/unlock`), t('user.unlocked'));
        if (key === 'enable') void act(() => api.patch(path, { status: 'active' }), t('user.updated'));
        if (key === 'disable')
          modal.confirm({
            title: `${t('user.disable')} ${u.username}`,
            content: t('user.disableConfirm'),
            okButtonProps: { danger: true },
            okText: t('user.disable'),
            onOk: () => act(() => api.patch(path, { status: 'disabled' }), t('user.updated')),
          });
      },
    });
    return [
      { key: 'username', title: t('user.username'), dataIndex: 'username', render: (v: string) => <span className="zb-mono">{v}</span> },
      { key: 'displayName', title: t('user.displayName'), dataIndex: 'displayName' },
      { key: 'role', title: t('user.role'), dataIndex: 'role', render: (r: User['role']) => <RoleLabel role={r} /> },
      { key: 'region', title: t('user.region'), dataIndex: 'regionName', render: (v: string | null, u) => v ?? u.regionCode },
      {
        key: 'org',
        title: `${t('user.department')} / ${t('user.enterprise')}`,
        render: (_: unknown, u) => u.departmentName ?? u.enterpriseName ?? '—',
      },
      {
        key: 'status',
        title: t('user.status'),
        render: (_: unknown, u) => (
          <Space size={4} wrap>
            {u.status === 'active' ? <Tag color="green">{t('user.active')}</Tag> : <Tag>{t('user.disabled')}</Tag>}
            {isLocked(u) && <Tag color="red">{t('user.locked')}</Tag>}
            {u.mustChangePassword && <Tag color="orange">{t('user.mustChange')}</Tag>}
          </Space>
        ),
      },
      { key: 'lastLogin', title: t('user.lastLogin'), dataIndex: 'lastLoginAt', render: (v: string | null) => formatDateTime(v) },
      {
        key: 'actions',
        title: t('common.actions'),
        fixed: 'right',
        render: (_: unknown, u) => (
          <Dropdown menu={actions(u)} trigger={['click']}>
            <Button size="small" data-testid={`user-actions-${u.username}`}>
              {t('common.actions')} <DownOutlined />
            </Button>
          </Dropdown>
        ),
      },
    ];
  }, [t, lang, modal, message, onChanged]);

  return (
    <>
      <ListPage<User>
        title={t('user.title')}
        embedded
        endpoint="/api/users"
        columns={columns}
        rowKey="id"
        filterKeys={['q', 'role']}
        textKeys={['q']}
        reloadKey={reloadKey}
        testId="user-table"
        filters={() => (
          <>
            <FilterItem name="q" label={t('common.search')} wide primary>
              <Input prefix={<SearchOutlined />} placeholder={t('user.searchPlaceholder')} allowClear data-testid="user-search" />
            </FilterItem>
            <FilterItem name="role" label={t('user.role')}>
              <Select allowClear placeholder={t('common.all')} options={ROLES.map((r) => ({ value: r, label: pick(lang, ROLE_LABELS[r]) }))} />
            </FilterItem>
          </>
        )}
      />
      <UserDialog
        key={dialog ? `${dialog.kind}:${dialog.user.id}` : 'none'}
        dialog={dialog}
        onClose={() => setDialog(null)}
        onDone={() => {
          setDialog(null);
          onChanged();
        }}
      />
    </>
  );
}

export default function UsersPage() {
  const t = useT();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'tokens' && can('tokens.manage') ? 'tokens' : 'users';
  const [creatingUser, setCreatingUser] = useState(false);
  const [creatingToken, setCreatingToken] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const reload = useMemo(() => () => setReloadKey((k) => k + 1), []);

  return (
    <div className="zb-page">
      <PageHeader
        title={t('user.title')}
        extra={
          tab === 'users' ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreatingUser(true)} data-testid="user-create">
              {t('user.create')}
            </Button>
          ) : (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreatingToken(true)} data-testid="token-create">
              {t('token.create')}
            </Button>
          )
        }
      />
      <Card className="zb-card">
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'tokens' ? { tab: 'tokens' } : {})}
          items={[
            { key: 'users', label: t('user.tabUsers'), children: tab === 'users' && <UsersTab reloadKey={reloadKey} onChanged={reload} /> },
            ...(can('tokens.manage')
              ? [
                  {
                    key: 'tokens',
                    label: t('user.tabTokens'),
                    children: tab === 'tokens' && (
                      <TokensTab creating={creatingToken} onCreateClose={() => setCreatingToken(false)} />
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <UserFormDrawer
        open={creatingUser}
        onClose={() => setCreatingUser(false)}
        onSaved={() => {
          setCreatingUser(false);
          reload();
        }}
      />
    </div>
  );
}
