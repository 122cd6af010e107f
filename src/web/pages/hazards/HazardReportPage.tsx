import type { ClauseSuggestion } from '../../../shared/contracts/standards';
import { CheckOutlined, CloseOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Empty, Form, Input, Radio, Row, Select, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { GRADE_LABELS, HAZARD_GRADES, ENTERED_SOURCES, SOURCE_LABELS } from '../../../shared/contracts/hazards';
import type { HazardDetail, HazardGrade, HazardInput, HazardSource, HazardStatus } from '../../../shared/contracts/hazards';
import { StatusTag } from './HazardTags';
import type { Role } from '../../../shared/roles';
import { api, request } from '../../api';
import { EnterpriseSelect } from '../../components/EnterpriseSelect';
import { EvidenceUpload } from '../../components/EvidenceUpload';
import { FormError, useFormSubmit } from '../../components/FormParts';
import { PageHeader } from '../../components/PageHeader';
import { blankToNull } from '../../format';
import { useHazardCategories, useIsPhone } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';
import { useMe } from '../../session';

type Suggestion = ClauseSuggestion;
type ClauseInfo = Omit<Suggestion, 'score' | 'applies'>;
interface Incomplete {
  standardId: string;
  title: string;
  completeness: { zh: string; en: string };
}

interface Values {
  enterpriseId?: string;
  description?: string;
  clauseIds: string[];
  grade: HazardGrade;
  source: Exclude<HazardSource, 'system'>;
  category?: string;
  location?: string;
  foundAt?: Dayjs;
  foundByName?: string;
  attachmentIds?: string[];
}

const SUGGEST_DELAY_MS = 400;
// Chinese words are short: 粉尘, 铝镁, 液氨. A description is matched from two characters, a keyword from one.
const SUGGEST_MIN = 2;
const MAX_PHOTOS = 9;

/** The source an officer most likely reports from, by role; anyone may change it. */
const DEFAULT_SOURCE: Partial<Record<Role, Exclude<HazardSource, 'system'>>> = {
  enterprise: 'self_check',
  inspector: 'enforcement_inspection',
  expert: 'expert_inspection',
};

type ClauseHit = { id: string; standardId: string; standardTitle: string; no: string; text: string };

/**
 * Clauses for the report form, after the typing pauses (the newest text wins): a keyword typed in the
 * search box finds every citable clause containing it; otherwise the description is matched by
 * similarity, the standards of the enterprise's industry first.
 */
function useSuggestions(description: string, keyword: string, enterpriseId: string | undefined) {
  const [state, setState] = useState<{ items: Suggestion[]; incomplete: Incomplete[]; loading: boolean }>({ items: [], incomplete: [], loading: false });
  useEffect(() => {
    const word = keyword.trim();
    const text = description.trim();
    if (!word && text.length < SUGGEST_MIN) {
      setState({ items: [], incomplete: [], loading: false });
      return;
    }
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      const asked = word
        ? api
            .get<{ items: ClauseHit[] }>('/api/standards/clauses', { q: word, citable: 'true', pageSize: 20 }, ctrl.signal)
            .then((r) => ({ items: r.items.map((c) => ({ clauseId: c.id, standardId: c.standardId, standardTitle: c.standardTitle, no: c.no, text: c.text, score: 1, applies: false })), incomplete: [] }))
        : request<{ items: Suggestion[]; incomplete: Incomplete[] }>('POST', '/api/standards/suggest', { body: { text, limit: 5, enterpriseId }, signal: ctrl.signal });
      asked.then(
        (r) => !ctrl.signal.aborted && setState({ items: r.items, incomplete: r.incomplete, loading: false }),
        () => !ctrl.signal.aborted && setState((s) => ({ ...s, loading: false })),
      );
    }, SUGGEST_DELAY_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [description, keyword, enterpriseId]);
  return state;
}

/** Days back a likely duplicate is looked for (the server's DUPLICATE_DAYS). */
const DUPLICATE_DAYS = 90;
type Duplicate = { id: string; code: string; description: string; status: HazardStatus; foundAt: string; similarity: number };

/** Open hazards of the enterprise that read like this description: a warning before submitting, never a block. */
function useLikelyDuplicates(enterpriseId: string | undefined, description: string) {
  const [items, setItems] = useState<Duplicate[]>([]);
  useEffect(() => {
    const text = description.trim();
    if (!enterpriseId || text.length < 4) {
      setItems([]);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api.get<{ items: Duplicate[] }>('/api/hazards/similar', { enterpriseId, description: text }, ctrl.signal).then(
        (r) => !ctrl.signal.aborted && setItems(r.items),
        () => undefined,
      );
    }, SUGGEST_DELAY_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [enterpriseId, description]);
  return items;
}

/** The clauses cited so far, each removable; the form value is their ids. */
function ChosenClauses({ value = [], onChange, info }: { value?: string[]; onChange?: (ids: string[]) => void; info: Map<string, ClauseInfo> }) {
  const t = useT();
  if (!value.length) return <Typography.Text type="secondary">{t('hz.newNoneChosen')}</Typography.Text>;
  return (
    <div className="zb-chosen" data-testid="chosen-clauses">
      {value.map((id) => {
        const c = info.get(id);
        return (
          <div key={id} className="zb-chosen-item" data-testid="chosen-clause">
            <div style={{ minWidth: 0, flex: 1 }}>
              <div className="zb-clause-head">
                <Typography.Text strong>{c?.standardTitle ?? id}</Typography.Text>
                {c && <Tag color="geekblue">{c.no}</Tag>}
              </div>
              {c && <div className="zb-clause-text zb-chosen-text">{c.text}</div>}
            </div>
            <Button
              type="text"
              size="small"
              icon={<CloseOutlined />}
              aria-label={t('hz.newRemove')}
              title={t('hz.newRemove')}
              onClick={() => onChange?.(value.filter((x) => x !== id))}
            />
          </div>
        );
      })}
    </div>
  );
}

export default function HazardReportPage() {
  const t = useT();
  const { lang } = useLang();
  const me = useMe();
  const phone = useIsPhone();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const categories = useHazardCategories();
  const isEnterprise = me.role === 'enterprise';
  const [gradeTouched, setGradeTouched] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [clauseQuery, setClauseQuery] = useState('');
  const [info, setInfo] = useState<Map<string, ClauseInfo>>(() => new Map());
  const description = Form.useWatch('description', form) ?? '';
  const chosen = Form.useWatch('clauseIds', form) ?? [];
  const enterpriseId = Form.useWatch('enterpriseId', form);
  const suggestions = useSuggestions(description, clauseQuery, enterpriseId);
  const duplicates = useLikelyDuplicates(enterpriseId, description);

  const initialValues = useMemo<Partial<Values>>(
    () => ({
      enterpriseId: isEnterprise ? (me.enterpriseId ?? undefined) : (params.get('enterpriseId') ?? undefined),
      clauseIds: [],
      grade: 'general',
      source: DEFAULT_SOURCE[me.role] ?? 'routine_inspection',
      foundAt: dayjs(),
    }),
    // The form reads its initial values once.
    [],
  );

  const cite = (s: Suggestion) => {
    const ids: string[] = form.getFieldValue('clauseIds') ?? [];
    if (ids.includes(s.clauseId)) return;
    setInfo((m) => new Map(m).set(s.clauseId, s));
    form.setFieldValue('clauseIds', [...ids, s.clauseId]);
    // A clause met makes the hazard major, unless the user decided the grade themselves.
    if (!gradeTouched) form.setFieldValue('grade', 'major');
    void form.validateFields(['clauseIds']).catch(() => undefined);
  };

  const { busy, formError, onFinish } = useFormSubmit<Values>(
    form,
    async (v) => {
      const body: HazardInput = {
        enterpriseId: v.enterpriseId!,
        description: v.description!.trim(),
        location: v.location!.trim(),
        grade: v.grade,
        clauseIds: v.clauseIds ?? [],
        source: isEnterprise ? 'self_check' : v.source,
        foundAt: (v.foundAt ?? dayjs()).format('YYYY-MM-DDTHH:mm:ssZ'),
        foundByName: blankToNull(v.foundByName) ?? undefined,
        category: v.category ?? null,
        attachmentIds: v.attachmentIds?.length ? v.attachmentIds : undefined,
      };
      const created = await api.post<HazardDetail>('/api/hazards', body);
      void message.success(t('hz.newCreated', { code: created.code }));
      navigate(`/hazards/${created.id}`, { replace: true });
    },
    { codeFields: { CLAUSE_REQUIRED: 'clauseIds', UNKNOWN_ENTERPRISE: 'enterpriseId' } },
  );

  const required = (field: string) => ({ required: true, whitespace: true, message: t('common.required', { field }) });
  const choose = (field: string) => ({ required: true, message: t('common.select', { field }) });
  const searching = clauseQuery.trim().length > 0;

  return (
    <div className="zb-page zb-narrow">
      <PageHeader title={t('hz.newTitle')} backTo="/hazards" />
      <Card className="zb-card">
        <Form<Values>
          form={form}
          name="hazard-report"
          layout="vertical"
          initialValues={initialValues}
          onFinish={onFinish}
          scrollToFirstError={{ block: 'center' }}
          onValuesChange={(changed: Partial<Values>) => {
            if ('grade' in changed) setGradeTouched(true);
          }}
          data-testid="hazard-form"
        >
          <FormError error={formError} />
          {isEnterprise ? (
            <>
              <Form.Item name="enterpriseId" hidden>
                <Input />
              </Form.Item>
              <Form.Item label={t('hz.enterprise')}>
                <Input value={me.enterpriseName ?? me.enterpriseId ?? ''} disabled data-testid="hazard-enterprise-fixed" />
              </Form.Item>
            </>
          ) : (
            <Form.Item name="enterpriseId" label={t('hz.enterprise')} rules={[choose(t('hz.enterprise'))]}>
              <EnterpriseSelect placeholder={t('hz.newEnterpriseSearch')} data-testid="hazard-enterprise" />
            </Form.Item>
          )}
          <Form.Item
            name="description"
            label={t('hz.description')}
            rules={[required(t('hz.description')), { min: 4, message: t('hz.newDescriptionMin') }, { max: 2000 }]}
            extra={t('hz.newDescriptionHint')}
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} data-testid="hazard-description-input" />
          </Form.Item>
          {duplicates.length > 0 && (
            <Alert
              type="warning"
              showIcon
              className="zb-duplicates"
              data-testid="hazard-duplicates"
              title={t('hz.newDuplicates', { days: DUPLICATE_DAYS })}
              description={
                <ul className="zb-duplicate-list">
                  {duplicates.map((d) => (
                    <li key={d.id}>
                      <Link to={`/hazards/${d.id}`} target="_blank" data-testid="hazard-duplicate-link">
                        {d.code}
                      </Link>{' '}
                      <StatusTag value={d.status} /> {d.description}
                    </li>
                  ))}
                </ul>
              }
            />
          )}

          <div className="zb-suggest" data-testid="clause-suggestions">
            <div className="zb-suggest-head">
              <Typography.Text strong>{t('hz.newSuggestions')}</Typography.Text>
              <Input
                size="small"
                allowClear
                prefix={<SearchOutlined />}
                placeholder={t('hz.newClauseSearch')}
                value={clauseQuery}
                onChange={(e) => setClauseQuery(e.target.value)}
                className="zb-suggest-search"
              />
            </div>
            <Typography.Paragraph type="secondary" className="zb-suggest-hint">
              {t('hz.newSuggestHint')}
            </Typography.Paragraph>
            <Spin spinning={suggestions.loading} size="small">
              {!searching && description.trim().length < SUGGEST_MIN ? (
                <Typography.Text type="secondary">{t('hz.newTypeMore')}</Typography.Text>
              ) : suggestions.items.length === 0 && !suggestions.loading ? (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('hz.newNoSuggestions')} />
              ) : (
                <div className="zb-suggest-list">
                  {suggestions.items.map((s) => {
                    const cited = chosen.includes(s.clauseId);
                    return (
                      <button
                        type="button"
                        key={s.clauseId}
                        className={cited ? 'zb-suggestion zb-suggestion-cited' : 'zb-suggestion'}
                        onClick={() => cite(s)}
                        disabled={cited}
                        data-testid="clause-suggestion"
                      >
                        <span className="zb-suggestion-head">
                          <span className="zb-suggestion-title">{s.standardTitle}</span>
                          <Tag color="geekblue">{s.no}</Tag>
                          {s.applies && <Tag color="green">{t('hz.newApplies')}</Tag>}
                          {!searching && <span className="zb-suggestion-score">{t('hz.newScore', { score: Math.round(s.score * 100) })}</span>}
                        </span>
                        <span className="zb-suggestion-text">{s.text}</span>
                        <span className="zb-suggestion-action">
                          {cited ? (
                            <>
                              <CheckOutlined /> {t('hz.newCited')}
                            </>
                          ) : (
                            <>
                              <PlusOutlined /> {t('hz.newCite')}
                            </>
                          )}
                        </span>
                      </button>
                    );
                  })}
                </div>
              )}
            </Spin>
            {!searching &&
              suggestions.incomplete.map((n) => (
                <Typography.Paragraph key={n.standardId} type="warning" className="zb-suggest-hint" data-testid="clause-incomplete">
                  {t('hz.newIncomplete', { title: n.title, line: pick(lang, n.completeness) })}
                </Typography.Paragraph>
              ))}
          </div>

          <Form.Item
            name="clauseIds"
            label={t('hz.newChosen')}
            dependencies={['grade']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, ids: string[] | undefined) =>
                  getFieldValue('grade') === 'major' && !ids?.length ? Promise.reject(new Error(t('hz.newClauseRequired'))) : Promise.resolve(),
              }),
            ]}
          >
            <ChosenClauses info={info} />
          </Form.Item>

          <Form.Item name="grade" label={t('hz.grade')} rules={[choose(t('hz.grade'))]} extra={t('hz.newGradeHint')}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={HAZARD_GRADES.map((g) => ({ value: g, label: pick(lang, GRADE_LABELS[g]) }))}
              data-testid="hazard-grade"
            />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name="source" label={t('hz.source')} rules={[choose(t('hz.source'))]}>
                <Select
                  disabled={isEnterprise}
                  options={ENTERED_SOURCES.filter((s) => s !== 'transfer').map((s) => ({ value: s, label: pick(lang, SOURCE_LABELS[s]) }))}
                  data-testid="hazard-source"
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="category" label={t('hz.category')}>
                <Select
                  allowClear
                  loading={categories.loading}
                  options={(categories.data ?? []).filter((c) => c.active).map((c) => ({ value: c.code, label: c.label }))}
                  data-testid="hazard-category"
                />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="location" label={t('hz.location')} rules={[required(t('hz.location')), { max: 300 }]}>
            <Input maxLength={300} data-testid="hazard-location" />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item
                name="foundAt"
                label={t('hz.foundAt')}
                rules={[
                  choose(t('hz.foundAt')),
                  {
                    validator: (_, d: Dayjs | undefined) =>
                      d && d.isAfter(dayjs().add(1, 'minute')) ? Promise.reject(new Error(t('hz.newFoundFuture'))) : Promise.resolve(),
                  },
                ]}
              >
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  format="YYYY-MM-DD HH:mm"
                  disabledDate={(d) => d.isAfter(dayjs().endOf('day'))}
                  style={{ width: '100%' }}
                  inputReadOnly={phone}
                  allowClear={false}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name="foundByName" label={t('hz.foundBy')} rules={[{ max: 50 }]}>
                <Input maxLength={50} placeholder={`${me.displayName}（${t('hz.newFoundByHint')}）`} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="attachmentIds" label={t('hz.newPhotos')} extra={t('hz.newPhotosHint', { max: MAX_PHOTOS })}>
            <EvidenceUpload photosOnly max={MAX_PHOTOS} onUploadingChange={setUploading} data-testid="hazard-photos" />
          </Form.Item>
          <div className="zb-form-actions">
            {!phone && <Button onClick={() => navigate('/hazards')}>{t('common.cancel')}</Button>}
            <Button type="primary" htmlType="submit" loading={busy} disabled={uploading} block={phone} size={phone ? 'large' : 'middle'} data-testid="hazard-submit">
              {t('hz.newSubmit')}
            </Button>
          </div>
        </Form>
      </Card>
    </div>
  );
}
