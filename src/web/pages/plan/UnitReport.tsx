import { DatePicker, Form, Modal, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { DocButton } from '../../components/DocButton';
import { useT } from '../../i18n';
import { unitOf, unitQuery, UnitSelect } from './shared';

/**
 * 单位进展报告: a unit's tasks and the progress it reported over a period, as .docx. The plan page
 * offers every unit; a unit's page names its own (`unitName`) and asks only for the period.
 */
export function UnitReportModal({ planId, unit: initial, unitName, onClose }: { planId?: string; unit: string; unitName?: string; onClose: () => void }) {
  const t = useT();
  const [unit, setUnit] = useState<string | undefined>(initial);
  const today = dayjs();
  const [range, setRange] = useState<[dayjs.Dayjs, dayjs.Dayjs]>([today.startOf('year'), today]);
  return (
    <Modal
      open
      title={t('plan.unitReport')}
      onCancel={onClose}
      footer={
        <DocButton
          type="primary"
          disabled={!unit}
          path="/api/plan-tasks/report.docx"
          query={{ planId, ...unitQuery(unit ? unitOf(unit) : null), from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') }}
          fileName={`${unitName ? `${unitName}-` : ''}${t('plan.unitReport')}.docx`}
          data-testid="plan-report-doc-download"
        >
          {t('plan.download')}
        </DocButton>
      }
    >
      <Form layout="vertical">
        <Form.Item label={t('plan.unit')}>{unitName ? <Typography.Text strong>{unitName}</Typography.Text> : <UnitSelect value={unit} onChange={setUnit} allowClear={false} />}</Form.Item>
        <Form.Item label={t('plan.period')}>
          <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
