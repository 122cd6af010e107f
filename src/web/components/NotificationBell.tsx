import { BellOutlined, CheckOutlined } from '@ant-design/icons';
import { App, Badge, Button, Drawer, Empty, Spin, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api';
import { problemText } from '../errors';
import { formatDateTime } from '../format';
import { useIsPhone } from '../hooks';
import { ACTION_LABELS, type HazardAction } from '../../shared/contracts/hazards';
import { pick, useLang, useT } from '../i18n';
import type { MessageKey } from '../i18n';
import { ErrorState } from './Feedback';

interface Notification {
  id: string;
  kind: string;
  hazardId: string | null;
  title: string;
  body: string | null;
  link: string | null;
  needsAction: boolean;
  createdAt: string;
  readAt: string | null;
}
interface Inbox {
  items: Notification[];
  total: number;
  page: number;
  pageSize: number;
  unread: number;
  needsAction: number;
}
type View = 'action' | 'all';

const POLL_MS = 60_000;
const PAGE_SIZE = 20;
const KIND_COLORS: Record<string, string> = {
  due_soon: 'gold',
  overdue: 'red',
  major_overdue: 'magenta',
  'hazard.digest': 'volcano',
  'hazard.assign': 'orange',
  'hazard.reject': 'red',
  'hazard.submit': 'geekblue',
  'hazard.accept_first': 'geekblue',
  'hazard.accept': 'green',
  'hazard.fix_on_spot': 'green',
  'hazard.transfer': 'purple',
  'hazard.void': 'default',
};
const OWN_LABELS: Record<string, MessageKey> = {
  due_soon: 'notif.kind.due_soon',
  overdue: 'notif.kind.overdue',
  major_overdue: 'notif.kind.major_overdue',
  'hazard.digest': 'notif.kind.digest',
  'hazard.accept_first': 'notif.kind.accept_first',
  'hazard.transfer_info': 'notif.kind.transfer_info',
};

/** The header's bell: the unread count (polled, and after every navigation) and the inbox in a drawer. */
export function NotificationBell() {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { message } = App.useApp();
  const [unread, setUnread] = useState(0);
  const [calls, setCalls] = useState(0);
  const [view, setView] = useState<View>('action');
  const [open, setOpen] = useState(false);
  const [inbox, setInbox] = useState<{ items: Notification[]; total: number; page: number } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const poll = useCallback(async () => {
    try {
      const r = await api.get<Inbox>('/api/notifications', { pageSize: 1 });
      setUnread(r.unread);
      setCalls(r.needsAction);
    } catch {
      // The bell is a convenience: a failed poll keeps the last count, the next one retries.
    }
  }, []);

  useEffect(() => {
    void poll();
  }, [poll, pathname]);
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void poll();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [poll]);

  const load = useCallback(async (page: number, which: View) => {
    setLoading(true);
    setError(null);
    try {
      const r = await api.get<Inbox>('/api/notifications', { page, pageSize: PAGE_SIZE, ...(which === 'action' ? { needsAction: 'true' } : {}) });
      setUnread(r.unread);
      setCalls(r.needsAction);
      setInbox((prev) => ({ items: page === 1 || !prev ? r.items : [...prev.items, ...r.items], total: r.total, page }));
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, []);

  // What asks for the reader's action comes first; with nothing to do, everything.
  const show = () => {
    const first: View = calls > 0 ? 'action' : 'all';
    setView(first);
    setInbox(null);
    setOpen(true);
    void load(1, first);
  };
  const switchTo = (next: View) => {
    setView(next);
    setInbox(null);
    void load(1, next);
  };

  const markLocal = (pred: (n: Notification) => boolean) =>
    setInbox((prev) => prev && { ...prev, items: prev.items.map((n) => (pred(n) && !n.readAt ? { ...n, readAt: new Date().toISOString() } : n)) });

  const openOne = async (n: Notification) => {
    if (!n.readAt) {
      markLocal((x) => x.id === n.id);
      setUnread((u) => Math.max(0, u - 1));
      api.post(`/api/notifications/${encodeURIComponent(n.id)}/read`).catch(() => void poll());
    }
    const to = n.link ?? (n.hazardId ? `/hazards/${encodeURIComponent(n.hazardId)}` : null);
    if (to) {
      setOpen(false);
      navigate(to);
    }
  };

  const readAll = async () => {
    try {
      await api.post('/api/notifications/read-all');
      markLocal(() => true);
      setUnread(0);
    } catch (err) {
      void message.error(problemText(err, lang, t));
    }
  };

  const kindLabel = (kind: string) => {
    if (OWN_LABELS[kind]) return t(OWN_LABELS[kind]);
    const step = kind.startsWith('hazard.') ? (kind.slice(7) as HazardAction) : null;
    return step && ACTION_LABELS[step] ? pick(lang, ACTION_LABELS[step]) : kind;
  };

  return (
    <>
      <Button
        type="text"
        onClick={show}
        aria-label={t('notif.bell', { count: unread })}
        title={t('notif.bell', { count: unread })}
        data-testid="notification-bell"
        icon={
          <Badge count={unread} size="small" overflowCount={99} offset={[4, -2]} data-testid="notification-count">
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        }
      />
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        size={phone ? '100%' : 440}
        title={
          <span>
            {t('notif.title')}
            {unread > 0 && (
              <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginInlineStart: 8, fontSize: 13 }}>
                {t('notif.unreadCount', { count: unread })}
              </Typography.Text>
            )}
          </span>
        }
        extra={
          <Button size="small" icon={<CheckOutlined />} onClick={() => void readAll()} disabled={unread === 0} data-testid="notification-read-all">
            {t('notif.readAll')}
          </Button>
        }
        styles={{ body: { padding: 0 } }}
        data-testid="notification-drawer"
      >
        <Tabs
          activeKey={view}
          onChange={(k) => switchTo(k as View)}
          centered
          items={[
            { key: 'action', label: <span data-testid="notification-tab-action">{t('notif.tabAction')} <Badge count={calls} size="small" color="#fa541c" /></span> },
            { key: 'all', label: <span data-testid="notification-tab-all">{t('notif.tabAll')}</span> },
          ]}
          style={{ marginBottom: 0 }}
        />
        {error && !loading ? (
          <ErrorState error={error} onRetry={() => void load(1, view)} />
        ) : (
          <Spin spinning={loading && !inbox}>
            {inbox && inbox.items.length === 0 ? (
              <Empty description={view === 'action' ? t('notif.emptyAction') : t('notif.empty')} style={{ marginTop: 48 }} />
            ) : (
              <div className="zb-notifs">
                {(inbox?.items ?? []).map((n) => (
                  <button
                    type="button"
                    key={n.id}
                    className={n.readAt ? 'zb-notif' : 'zb-notif zb-notif-unread'}
                    onClick={() => void openOne(n)}
                    data-testid="notification-item"
                  >
                    <span className="zb-notif-head">
                      {!n.readAt && <Badge status="processing" />}
                      <Tag color={KIND_COLORS[n.kind] ?? 'blue'}>{kindLabel(n.kind)}</Tag>
                      {n.needsAction && view === 'all' && <Tag color="orange">{t('notif.needsAction')}</Tag>}
                      <span className="zb-muted zb-notif-time">{formatDateTime(n.createdAt)}</span>
                    </span>
                    <span className="zb-notif-title">{n.title}</span>
                    {n.body && <span className="zb-notif-body">{n.body}</span>}
                  </button>
                ))}
                {inbox && inbox.items.length < inbox.total && (
                  <div style={{ padding: 12, textAlign: 'center' }}>
                    <Button onClick={() => void load(inbox.page + 1, view)} loading={loading}>
                      {t('notif.more')}
                    </Button>
                  </div>
                )}
              </div>
            )}
          </Spin>
        )}
      </Drawer>
    </>
  );
}
