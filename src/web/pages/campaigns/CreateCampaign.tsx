import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, DatePicker, Flex, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { CAMPAIGN_TOPIC_LABELS, CAMPAIGN_TOPICS } from '../../../shared/contracts/campaigns';
import type { CampaignTopic } from '../../../shared/contracts/campaigns';
import { api } from '../../api';
import { EnterprisesSelect } from '../../components/EnterpriseSelect';
import { scopeOf } from '../../format';
import { useDistricts } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';
import { FormDrawer } from '../accidents/fields';
import { isCityOffice } from './access';
import type { CampaignFull } from './model';

interface Values {
  topic: CampaignTopic;
  title: string;
  period: [Dayjs, Dayjs];
  districtCodes?: string[];
  checklist: { text?: string }[];
  enterpriseIds?: string[];
  places?: { name?: string; districtCode?: string }[];
}

/** 部署整治: the topic, the period, the districts (the city office; a district office its own), the checklist and the targets. */
export function CreateCampaignDrawer({ onClose, onCreated }: { onClose: () => void; onCreated: (c: CampaignFull) => void }) {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const city = isCityOffice(me);
  const own = city ? undefined : scopeOf(me.regionCode).districtCode;
  const districts = useDistricts();
  const districtOptions = (districts.data ?? []).map((d) => ({ value: d.code, label: d.name }));
  const save = async (v: Values) =>
    onCreated(
      await api.post<CampaignFull>('/api/campaigns', {
        topic: v.topic,
        title: v.title.trim(),
        from: v.period[0].format('YYYY-MM-DD'),
        to: v.period[1].format('YYYY-MM-DD'),
        districtCodes: city ? (v.districtCodes?.length ? v.districtCodes : undefined) : undefined,
        checklist: v.checklist.map((c) => ({ text: (c.text ?? '').trim() })).filter((c) => c.text),
        enterpriseIds: v.enterpriseIds ?? [],
        places: (v.places ?? []).filter((p) => p.name?.trim()).map((p) => ({ name: p.name!.trim(), districtCode: own ?? p.districtCode })),
      }),
    );
  return (
    <FormDrawer<Values> title={t('camp.create')} onClose={onClose} save={save} testId="campaign-form" submitText={t('camp.submit')} initialValues={{ checklist: [{ text: '' }], places: [] }}>
      <Form.Item name="topic" label={t('camp.f.topic')} rules={[{ required: true, message: t('common.select', { field: t('camp.f.topic') }) }]}>
        <Select options={CAMPAIGN_TOPICS.map((k) => ({ value: k, label: pick(lang, CAMPAIGN_TOPIC_LABELS[k]) }))} data-testid="campaign-topic" />
      </Form.Item>
      <Form.Item name="title" label={t('camp.f.title')} rules={[{ required: true, min: 4, message: t('common.required', { field: t('camp.f.title') }) }]}>
        <Input maxLength={100} placeholder={t('camp.f.titlePh')} data-testid="campaign-title" />
      </Form.Item>
      <Form.Item name="period" label={t('camp.f.period')} rules={[{ required: true, message: t('common.select', { field: t('camp.f.period') }) }]}>
        <DatePicker.RangePicker style={{ width: '100%' }} data-testid="campaign-period" />
      </Form.Item>
      {city ? (
        <Form.Item name="districtCodes" label={t('camp.f.districts')} extra={t('camp.f.districtsHint')}>
          <Select mode="multiple" allowClear loading={districts.loading} options={districtOptions} placeholder={t('camp.f.allDistricts')} />
        </Form.Item>
      ) : (
        <Alert type="info" showIcon title={t('camp.f.ownDistrict')} style={{ marginBottom: 16 }} />
      )}
      <Form.Item label={t('camp.f.checklist')} required>
        <Form.List name="checklist">
          {(fields, { add, remove }) => (
            <Flex vertical gap={8}>
              {fields.map((f, i) => (
                <Flex key={f.key} gap={8} align="flex-start">
                  <span style={{ paddingTop: 5, minWidth: 20 }}>{i + 1}.</span>
                  <Form.Item name={[f.name, 'text']} style={{ flex: 1, marginBottom: 0 }} rules={[{ required: true, min: 2, message: t('common.required', { field: t('camp.f.checklist') }) }]}>
                    <Input maxLength={300} placeholder={t('camp.f.checklistPh')} data-testid={`campaign-item-${i + 1}`} />
                  </Form.Item>
                  <Button type="text" danger icon={<DeleteOutlined />} disabled={fields.length === 1} onClick={() => remove(f.name)} aria-label={t('common.close')} />
                </Flex>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ text: '' })} data-testid="campaign-item-add">
                {t('camp.f.addItem')}
              </Button>
            </Flex>
          )}
        </Form.List>
      </Form.Item>
      <Form.Item name="enterpriseIds" label={t('camp.f.enterprises')} extra={t('camp.f.targetsHint')}>
        <EnterprisesSelect placeholder={t('camp.f.enterprisesPh')} data-testid="campaign-enterprises" />
      </Form.Item>
      <PlaceRows districtOptions={city ? districtOptions : undefined} />
    </FormDrawer>
  );
}

/** Places as targets: a name and, for the city office, the district it lies in. */
export function PlaceRows({ districtOptions }: { districtOptions?: { value: string; label: string }[] }) {
  const t = useT();
  return (
    <Form.Item label={t('camp.f.places')}>
      <Form.List name="places">
        {(fields, { add, remove }) => (
          <Flex vertical gap={8}>
            {fields.map((f) => (
              <Flex key={f.key} gap={8} align="flex-start" wrap>
                <Form.Item name={[f.name, 'name']} style={{ flex: '2 1 200px', marginBottom: 0 }} rules={[{ required: true, min: 2, message: t('common.required', { field: t('camp.f.placeName') }) }]}>
                  <Input maxLength={100} placeholder={t('camp.f.placeName')} />
                </Form.Item>
                {districtOptions && (
                  <Form.Item name={[f.name, 'districtCode']} style={{ flex: '1 1 120px', marginBottom: 0 }} rules={[{ required: true, message: t('common.select', { field: t('camp.f.district') }) }]}>
                    <Select options={districtOptions} placeholder={t('camp.f.district')} />
                  </Form.Item>
                )}
                <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t('common.close')} />
              </Flex>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => add({})}>
              {t('camp.f.addPlace')}
            </Button>
          </Flex>
        )}
      </Form.List>
    </Form.Item>
  );
}
