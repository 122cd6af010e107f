import { BellOutlined, CheckOutlined } from '@ant-design/icons';
import { App, Badge, Button, Drawer, Empty, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api';
import { problemText } from '../errors';
import { formatDateTime } from '../format';
import { useIsPhone } from '../hooks';
import { useLang, useT } from '../i18n';
import type { MessageKey } from '../i18n';
import { ErrorState } from './Feedback';

interface Notification {
  id: string;
  kind: string;
  hazardId: string | null;
  title: string;
  body: string | null;
  createdAt: string;
  readAt: string | null;
}
interface Inbox {
  items: Notification[];
  total: number;
  page: number;
  pageSize: number;
  unread: number;
}

const POLL_MS = 60_000;
const PAGE_SIZE = 20;
const KIND_COLORS: Record<string, string> = { due_soon: 'gold', overdue: 'red', major_overdue: 'magenta' };

/** The header's bell: the unread count (polled, and after every navigation) and the inbox in a drawer. */
export function NotificationBell() {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const { message } = App.useApp();
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [inbox, setInbox] = useState<{ items: Notification[]; total: number; page: number } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const poll = useCallback(async () => {
    try {
      setUnread((await api.get<Inbox>('/api/notifications', { pageSize: 1 })).unread);
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

  const load = useCallback(async (page: number) => {
    setLoading(true);
    setError(null);
    try {
      const r = await api.get<Inbox>('/api/notifications', { page, pageSize: PAGE_SIZE });
      setUnread(r.unread);
      setInbox((prev) => ({ items: page === 1 || !prev ? r.items : [...prev.items, ...r.items], total: r.total, page }));
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, []);

  const show = () => {
    setOpen(true);
    void load(1);
  };

  const markLocal = (pred: (n: Notification) => boolean) =>
    setInbox((prev) => prev && { ...prev, items: prev.items.map((n) => (pred(n) && !n.readAt ? { ...n, readAt: new Date().toISOString() } : n)) });

  const openOne = async (n: Notification) => {
    if (!n.readAt) {
      markLocal((x) => x.id === n.id);
      setUnread((u) => Math.max(0, u - 1));
      api.post(`/api/notifications/${encodeURIComponent(n.id)}/read`).catch(() => void poll());
    }
    if (n.hazardId) {
      setOpen(false);
      navigate(`/hazards/${encodeURIComponent(n.hazardId)}`);
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
    const key = `notif.kind.${kind}` as MessageKey;
    return ['due_soon', 'overdue', 'major_overdue'].includes(kind) ? t(key) : kind;
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
        {error && !loading ? (
          <ErrorState error={error} onRetry={() => void load(1)} />
        ) : (
          <Spin spinning={loading && !inbox}>
            {inbox && inbox.items.length === 0 ? (
              <Empty description={t('notif.empty')} style={{ marginTop: 48 }} />
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
                      <span className="zb-muted zb-notif-time">{formatDateTime(n.createdAt)}</span>
                    </span>
                    <span className="zb-notif-title">{n.title}</span>
                    {n.body && <span className="zb-notif-body">{n.body}</span>}
                  </button>
                ))}
                {inbox && inbox.items.length < inbox.total && (
                  <div style={{ padding: 12, textAlign: 'center' }}>
                    <Button onClick={() => void load(inbox.page + 1)} loading={loading}>
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
