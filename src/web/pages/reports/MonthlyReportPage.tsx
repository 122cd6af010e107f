import { FileWordOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Form, Input, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../api';
import { PageHeader } from '../../components/PageHeader';
import { DistrictSelect } from '../../components/RegionSelects';
import { problemText } from '../../errors';
import { scopeOf } from '../../format';
import { useIsPhone } from '../../hooks';
import { useLang, useT } from '../../i18n';
import { useMe } from '../../session';

interface Values {
  district?: string;
  month?: Dayjs;
}

/** 区情月报: one district's month as a Word document; a district office gets its own district only. */
export default function MonthlyReportPage() {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const own = me.role === 'district_officer' ? scopeOf(me.regionCode).districtCode : undefined;
  const thisMonth = dayjs().startOf('month');

  const submit = async ({ district, month }: Values) => {
    if (!district || !month) return;
    setBusy(true);
    try {
      const m = month.format('YYYY-MM');
      await api.download('/api/reports/district-monthly.docx', { district, month: m }, `district-monthly-${district}-${m}.docx`);
      void message.success(t('rpt.downloaded'));
    } catch (err) {
      void message.error(t('common.downloadFailed', { text: problemText(err, lang, t) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="zb-page zb-narrow">
      <PageHeader title={t('rpt.title')} />
      <Card className="zb-card">
        <Typography.Paragraph type="secondary">{t('rpt.intro')}</Typography.Paragraph>
        <Form<Values>
          form={form}
          layout={phone ? 'vertical' : 'inline'}
          initialValues={{ district: own, month: thisMonth.subtract(1, 'month') }}
          onFinish={(v) => void submit(v)}
          className="zb-report-form"
          data-testid="report-form"
        >
          {own ? (
            <Form.Item label={t('rpt.district')} name="district">
              <OwnDistrict name={me.regionName ?? own} />
            </Form.Item>
          ) : (
            <Form.Item label={t('rpt.district')} name="district" style={{ minWidth: phone ? undefined : 200 }} rules={[{ required: true, message: t('common.select', { field: t('rpt.district') }) }]}>
              <DistrictSelect allowClear={false} placeholder={t('common.select', { field: t('rpt.district') })} data-testid="report-district" />
            </Form.Item>
          )}
          <Form.Item label={t('rpt.month')} name="month" rules={[{ required: true, message: t('common.select', { field: t('rpt.month') }) }]}>
            <DatePicker
              picker="month"
              allowClear={false}
              inputReadOnly={phone}
              disabledDate={(d) => d.isAfter(thisMonth, 'month')}
              style={{ width: phone ? '100%' : 160 }}
              data-testid="report-month"
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<FileWordOutlined />} loading={busy} block={phone} data-testid="report-download">
              {t('rpt.download')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
    </div>
  );
}

/** A district officer's district: shown, not chosen (the form value stays the code). */
function OwnDistrict({ name }: { id?: string; value?: string; name: string }) {
  return <Input value={name} disabled style={{ minWidth: 200 }} data-testid="report-district-fixed" />;
}
