import { Alert, App, Button, Form, Input, Radio } from 'antd';
import { useState } from 'react';
import type { AccidentDetail } from '../../../shared/contracts/accidents';
import type { Tip } from '../../../shared/contracts/tips';
import { api } from '../../api';
import type { ListResult } from '../../api';
import { RemoteSelect } from '../../components/RemoteSelect';
import { formatDateTime } from '../../format';
import { useT } from '../../i18n';
import { ConcludeDrawer } from './ConcludeDrawer';
import { accidentUrl, CasualtyFields, DescriptionFields, FormDrawer, NoteField, numOrUndefined, orUndefined } from './fields';

type Action = AccidentDetail['allowed'][number];

/** The steps the server allows the caller on this accident, each a button opening its form. */
export function AccidentActions({ accident, onChanged }: { accident: AccidentDetail; onChanged: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [open, setOpen] = useState<Action | null>(null);
  const close = () => setOpen(null);
  const done = () => {
    void message.success(t('acc.saved'));
    close();
    onChanged();
  };
  const conflict = () => {
    close();
    onChanged();
  };
  const a = accident;
  const post = (rest: string, body: object) => api.post(accidentUrl(a.id, rest), { version: a.version, ...body }).then(done);
  const common = { onClose: close, onConflict: conflict };
  return (
    <>
      {a.allowed.map((act) => (
        <Button key={act} type={act === 'conclude' || act === 'investigate' ? 'primary' : 'default'} danger={act === 'concealment'} onClick={() => setOpen(act)} data-testid={`acc-act-${act}`}>
          {t(`acc.act.${act}`)}
        </Button>
      ))}
      {open === 'edit' && (
        <FormDrawer<Record<string, unknown>>
          {...common}
          title={t('acc.act.edit')}
          testId="acc-edit-form"
          initialValues={{ place: a.place, narrative: a.narrative, category: a.category, fireOrRoad: a.fireOrRoad, lng: a.lng, lat: a.lat }}
          save={(v) =>
            api
              .patch(accidentUrl(a.id), { version: a.version, place: orUndefined(v.place), narrative: orUndefined(v.narrative), category: v.category, fireOrRoad: !!v.fireOrRoad, lng: numOrUndefined(v.lng) ?? null, lat: numOrUndefined(v.lat) ?? null, note: orUndefined(v.note) })
              .then(done)
          }
        >
          <DescriptionFields />
          <NoteField label={t('acc.f.editNote')} />
        </FormDrawer>
      )}
      {open === 'casualties' && (
        <FormDrawer<Record<string, unknown>>
          {...common}
          title={t('acc.act.casualties')}
          testId="acc-casualties-form"
          initialValues={{ deaths: a.deaths, missing: a.missing, seriousInjuries: a.seriousInjuries, directLossYuan: a.directLossYuan }}
          save={(v) => post('/casualties', { deaths: v.deaths, missing: numOrUndefined(v.missing) ?? 0, seriousInjuries: v.seriousInjuries, directLossYuan: v.directLossYuan, note: orUndefined(v.note) })}
        >
          <Alert type="info" showIcon title={t('acc.supplementOpen', { time: formatDateTime(a.supplementUntil) })} description={t('acc.f.regrade')} style={{ marginBottom: 16 }} />
          <CasualtyFields />
          <NoteField label={t('acc.f.casualtyNote')} required />
        </FormDrawer>
      )}
      {open === 'concealment' && (
        <FormDrawer<Record<string, unknown>>
          {...common}
          title={t('acc.act.concealment')}
          testId="acc-concealment-form"
          initialValues={{ concealment: 'concealed' }}
          save={(v) => post('/concealment', { concealment: v.concealment, note: orUndefined(v.note), tipId: v.tipId || undefined })}
        >
          <Form.Item name="concealment" label={t('acc.f.concealKind')}>
            <Radio.Group optionType="button" options={(['concealed', 'false_report'] as const).map((c) => ({ value: c, label: t(`acc.f.${c}`) }))} />
          </Form.Item>
          <Form.Item name="note" label={t('acc.f.concealNote')} rules={[{ required: true, min: 5, message: t('acc.f.concealNotePh') }]}>
            <Input.TextArea rows={3} maxLength={1000} placeholder={t('acc.f.concealNotePh')} data-testid="acc-conceal-note" />
          </Form.Item>
          <Form.Item name="tipId" label={t('acc.f.tip')}>
            <TipSelect />
          </Form.Item>
        </FormDrawer>
      )}
      {open === 'investigate' && (
        <FormDrawer<Record<string, unknown>> {...common} title={t('acc.act.investigate')} testId="acc-investigate-form" save={(v) => post('/investigation', { leadBy: orUndefined(v.leadBy) })}>
          <Form.Item name="leadBy" label={t('acc.leadBy')} rules={[{ required: true, min: 2, message: t('common.required', { field: t('acc.leadBy') }) }]}>
            <Input maxLength={100} placeholder={t('acc.f.leadByPh')} data-testid="acc-leadBy" />
          </Form.Item>
        </FormDrawer>
      )}
      {open === 'conclude' && <ConcludeDrawer accident={a} {...common} onDone={done} />}
    </>
  );
}

/** A tip in scope (by its code or words): the one that revealed the concealment. */
function TipSelect({ id, value, onChange }: { id?: string; value?: string; onChange?: (v: string | undefined) => void }) {
  const t = useT();
  return (
    <RemoteSelect<Tip>
      id={id}
      value={value}
      onChange={(v) => onChange?.(v)}
      placeholder={t('acc.f.tipPh')}
      search={(q, signal) =>
        api.get<ListResult<Tip>>('/api/tips', { q: q || undefined, pageSize: 20 }, signal).then((r) => r.items.map((tip) => ({ value: tip.id, label: `${tip.code} ${tip.description}`.slice(0, 80), record: tip })))
      }
    />
  );
}
