import { Flex, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { Hazard } from '../../../shared/contracts/hazards';
import { api } from '../../api';
import { useAsync } from '../../hooks';

/** Hazards by id as links to their pages, each named by its code once the ledger has answered. */
export function HazardLinks({ ids, testId }: { ids: string[]; testId: string }) {
  const hazards = useAsync((signal) => Promise.all(ids.map((id) => api.get<Hazard>(`/api/hazards/${encodeURIComponent(id)}`, undefined, signal).catch(() => null))), [ids.join(',')]);
  return (
    <Flex gap={8} wrap>
      {ids.map((id, i) => {
        const h = hazards.data?.[i];
        return (
          <Link key={id} to={`/hazards/${encodeURIComponent(id)}`} className="zb-mono" data-testid={testId}>
            {h?.code ?? id.slice(0, 8)}
            {h && <Typography.Text type="secondary"> {h.description.length > 30 ? `${h.description.slice(0, 30)}…` : h.description}</Typography.Text>}
          </Link>
        );
      })}
    </Flex>
  );
}
