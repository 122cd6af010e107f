import { FileOutlined } from '@ant-design/icons';
import { Image, Tag, Timeline, Typography } from 'antd';
import { STATUS_LABELS } from '../../../shared/contracts/hazards';
import type { HazardEvent, HazardStatus, RectificationPlan, SupervisionLevel } from '../../../shared/contracts/hazards';
import { fileUrl } from '../../api';
import { formatBytes, formatDateTime, formatYuan } from '../../format';
import { useDepartments, useDistricts } from '../../hooks';
import { useLang, useT } from '../../i18n';
import { actionText, supervisionText } from './HazardTags';

const EVENT_COLORS: Record<string, string> = {
  report: 'blue',
  accept: 'green',
  fix_on_spot: 'green',
  reject: 'red',
  void: 'gray',
  supervise: 'orange',
};

type Place = { districtCode?: string | null; departmentId?: string | null };

function isPlace(v: unknown): v is Place {
  return typeof v === 'object' && v !== null;
}

/** What an event changed, in words: deadlines, the person responsible, the plan, a transfer, supervision. */
function EventData({ event }: { event: HazardEvent }) {
  const t = useT();
  const { lang } = useLang();
  const districts = useDistricts();
  const departments = useDepartments();
  const d = event.data;
  if (!d) return null;
  const lines: string[] = [];
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const place = (p: unknown) => {
    if (!isPlace(p)) return '—';
    const district = districts.data?.find((x) => x.code === p.districtCode)?.name ?? p.districtCode ?? '';
    const dept = p.departmentId ? (departments.data?.find((x) => x.id === p.departmentId)?.name ?? p.departmentId) : null;
    return dept ? `${district} · ${dept}` : district || '—';
  };

  if (event.action === 'assign') {
    if (str(d.deadline)) lines.push(t('hz.eventDeadline', { date: str(d.deadline)! }));
    if (str(d.responsibleName)) lines.push(t('hz.eventResponsible', { name: str(d.responsibleName)! }));
    const plan = d.plan as RectificationPlan | undefined;
    if (plan) lines.push(t('hz.eventPlan', { measures: plan.measures, funds: formatYuan(plan.fundsFen, lang), contingency: plan.contingencyPlan }));
  } else if (event.action === 'extend') {
    lines.push(t('hz.eventExtend', { from: str(d.oldDeadline) ?? '—', to: str(d.newDeadline) ?? '—' }));
  } else if (event.action === 'transfer') {
    lines.push(t('hz.eventTransfer', { from: place(d.from), to: place(d.to) }));
  } else if (event.action === 'supervise') {
    const level = (v: unknown) => (typeof v === 'string' && ['none', 'district', 'city'].includes(v) ? supervisionText(t, v as SupervisionLevel) : '—');
    lines.push(t('hz.eventSupervise', { from: level(d.from), to: level(d.to) }));
  }
  if (!lines.length) return null;
  return (
    <div className="zb-event-data">
      {lines.map((l) => (
        <div key={l}>{l}</div>
      ))}
    </div>
  );
}

function Attachments({ event }: { event: HazardEvent }) {
  const images = event.attachments.filter((a) => a.mime.startsWith('image/'));
  const others = event.attachments.filter((a) => !a.mime.startsWith('image/'));
  if (!event.attachments.length) return null;
  return (
    <div className="zb-event-files">
      {images.length > 0 && (
        <Image.PreviewGroup>
          <div className="zb-thumbs">
            {images.map((a) => (
              <Image
                key={a.id}
                src={fileUrl(a.id)}
                alt={a.name ?? ''}
                width={72}
                height={72}
                style={{ objectFit: 'cover', borderRadius: 6 }}
                data-testid="event-image"
              />
            ))}
          </div>
        </Image.PreviewGroup>
      )}
      {others.map((a) => (
        <div key={a.id}>
          <Typography.Link href={fileUrl(a.id)} target="_blank" rel="noopener noreferrer" data-testid="event-file">
            <FileOutlined /> {a.name ?? a.id}
          </Typography.Link>{' '}
          <span className="zb-muted">{formatBytes(a.size)}</span>
        </div>
      ))}
    </div>
  );
}

/** Every step of a hazard, oldest first: who did what, when, why, with what evidence. */
export function HazardTimeline({ events }: { events: HazardEvent[] }) {
  const t = useT();
  const { lang } = useLang();
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  return (
    <Timeline
      data-testid="hazard-timeline"
      items={sorted.map((e) => ({
        key: e.id,
        color: EVENT_COLORS[e.action] ?? 'blue',
        content: (
          <div className="zb-event" data-testid="hazard-event" data-action={e.action}>
            <div className="zb-event-head">
              <Typography.Text strong data-testid="hazard-event-label">
                {actionText(lang, t, e.action)}
              </Typography.Text>
              {e.fromStatus !== e.toStatus && e.action !== 'report' && <Tag variant="filled">{statusArrow(lang, e.fromStatus, e.toStatus)}</Tag>}
            </div>
            <Typography.Text type="secondary" className="zb-event-meta">
              {e.actorName} · {formatDateTime(e.at)}
            </Typography.Text>
            {e.comment && <div className="zb-event-comment">{e.comment}</div>}
            <EventData event={e} />
            <Attachments event={e} />
          </div>
        ),
      }))}
    />
  );
}

function statusArrow(lang: 'zh' | 'en', from: string | null, to: string): string {
  const label = (s: string | null) => (s && s in STATUS_LABELS ? STATUS_LABELS[s as HazardStatus][lang] : (s ?? ''));
  return `${label(from)} → ${label(to)}`;
}
