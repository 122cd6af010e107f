import { Tag } from 'antd';
import { CAMPAIGN_TOPIC_LABELS } from '../../../shared/contracts/campaigns';
import type { CampaignTopic } from '../../../shared/contracts/campaigns';
import { pick, useLang, useT } from '../../i18n';
import type { CampaignRow } from './model';

const TOPIC_COLORS: Record<CampaignTopic, string> = { problem_areas: 'volcano', high_rise_fire: 'red', town_gas: 'orange', factories_warehouses: 'geekblue', waterway_traffic: 'cyan', other: 'default' };
const STATE_COLORS: Record<CampaignRow['state'], string> = { planned: 'default', running: 'processing', ended: 'success' };

export function TopicTag({ topic }: { topic: CampaignTopic }) {
  const { lang } = useLang();
  return <Tag color={TOPIC_COLORS[topic]}>{pick(lang, CAMPAIGN_TOPIC_LABELS[topic])}</Tag>;
}

export function CampaignStateTag({ state }: { state: CampaignRow['state'] }) {
  const t = useT();
  return (
    <Tag color={STATE_COLORS[state]} data-testid="campaign-state" data-state={state}>
      {t(`camp.state.${state}`)}
    </Tag>
  );
}
