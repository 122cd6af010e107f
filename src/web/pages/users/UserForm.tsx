import { ThunderboltOutlined } from '@ant-design/icons';
import { App, Button, Col, Drawer, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import type { User, UserInput } from '../../../shared/contracts/users';
import { ROLE_LABELS, ROLE_REGION_LEVEL, ROLES } from '../../../shared/roles';
import type { Role } from '../../../shared/roles';
import { api } from '../../api';
import { passwordRules } from '../../components/ChangePassword';
import { DistrictSelect, StreetSelect } from '../../components/RegionSelects';
import { DrawerFooter, FormError, useFormSubmit } from '../../components/FormParts';
import { EnterpriseSelect } from '../../components/EnterpriseSelect';
import type { ScopeLevel } from '../../format';
import { useDepartments, useIsPhone, useOpenCount } from '../../hooks';
import { pick, useLang, useT } from '../../i18n';

interface Values {
  username: string;
  displayName: string;
  role: Role;
  regionLevel: ScopeLevel;
  districtCode?: string;
  streetCode?: string;
  departmentId?: string;
  enterpriseId?: string;
  password: string;
}

const CITY = '310000';
const PASSWORD_CHARS = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function generatePassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(14));
  const body = [...bytes].map((b) => PASSWORD_CHARS[b % PASSWORD_CHARS.length]).join('');
  // Guarantee the letter-and-digit rule whatever the draw.
  return `${body}a7`;
}

/** The level a role's region must have; roles free to choose get the level the user picks. */
function levelFor(role: Role | undefined, picked: ScopeLevel | undefined): ScopeLevel {
  const fixed = role ? ROLE_REGION_LEVEL[role] : 'city';
  return fixed === 'any' ? (picked ?? 'city') : fixed;
}

function regionCodeOf(v: Values): string {
  const level = levelFor(v.role, v.regionLevel);
  if (level === 'street') return v.streetCode ?? '';
  if (level === 'district') return v.districtCode ?? '';
  return CITY;
}

interface DrawerProps {
  open: boolean;
  onClose: () => void;
  onSaved: (u: User) => void;
}

/** A fresh form on every opening. */
export function UserFormDrawer(props: DrawerProps) {
  return <UserDrawer key={useOpenCount(props.open)} {...props} />;
}

function UserDrawer({ open, onClose, onSaved }: DrawerProps) {
  const t = useT();
  const { lang } = useLang();
  const phone = useIsPhone();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [showPassword, setShowPassword] = useState(false);
  const departments = useDepartments();
  const role = Form.useWatch('role', form);
  const picked = Form.useWatch('regionLevel', form);
  const districtCode = Form.useWatch('districtCode', form);
  const level = levelFor(role, picked);
  const freeLevel = role ? ROLE_REGION_LEVEL[role] === 'any' : false;

  const { busy, formError, onFinish } = useFormSubmit<Values>(
    form,
    async (v) => {
      const body: UserInput = {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        role: v.role,
        regionCode: regionCodeOf(v),
        departmentId: v.role === 'dept_officer' ? (v.departmentId ?? null) : null,
        enterpriseId: v.role === 'enterprise' ? (v.enterpriseId ?? null) : null,
        password: v.password,
      };
      const user = await api.post<User>('/api/users', body);
      void message.success(t('user.created', { name: user.displayName }));
      onSaved(user);
    },
    {
      codeFields: {
        DUPLICATE_USERNAME: 'username',
        UNKNOWN_DEPARTMENT: 'departmentId',
        UNKNOWN_ENTERPRISE: 'enterpriseId',
        UNKNOWN_REGION: level === 'street' ? 'streetCode' : 'districtCode',
      },
      pathAlias: { regionCode: level === 'street' ? 'streetCode' : 'districtCode' },
    },
  );

  const req = (field: string) => ({ required: true, whitespace: true, message: t('common.required', { field }) });
  const choose = (field: string) => ({ required: true, message: t('common.select', { field }) });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('user.create')}
      size={phone ? '100%' : 560}
      destroyOnHidden
      footer={<DrawerFooter onCancel={onClose} onSubmit={() => form.submit()} busy={busy} testId="user-form-submit" />}
    >
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{ regionLevel: 'city' }}
        onValuesChange={(changed: Partial<Values>) => {
          if ('districtCode' in changed) form.setFieldValue('streetCode', undefined);
        }}
        data-testid="user-form"
      >
        <FormError error={formError} />
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="username" label={t('user.username')} rules={[req(t('user.username'))]} normalize={(v: string) => v.toLowerCase()}>
              <Input maxLength={40} autoComplete="off" spellCheck={false} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="displayName" label={t('user.displayName')} rules={[req(t('user.displayName')), { max: 50 }]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="role" label={t('user.role')} rules={[choose(t('user.role'))]}>
          <Select options={ROLES.map((r) => ({ value: r, label: pick(lang, ROLE_LABELS[r]) }))} />
        </Form.Item>
        {role === 'dept_officer' && (
          <Form.Item name="departmentId" label={t('user.department')} rules={[choose(t('user.department'))]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={departments.loading}
              options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.regionName ? `${d.name}（${d.regionName}）` : d.name }))}
              onChange={(id: string) => {
                // A department's own region is the natural scope of its officers.
                const dept = departments.data?.find((d) => d.id === id);
                if (!dept) return;
                if (dept.regionCode === CITY) form.setFieldsValue({ regionLevel: 'city' });
                else form.setFieldsValue({ regionLevel: 'district', districtCode: dept.regionCode, streetCode: undefined });
              }}
            />
          </Form.Item>
        )}
        {role === 'enterprise' && (
          <Form.Item name="enterpriseId" label={t('user.enterprise')} rules={[choose(t('user.enterprise'))]}>
            <EnterpriseSelect
              placeholder={t('user.enterpriseSearch')}
              onChange={(_id, e) => {
                if (e)
                  form.setFieldsValue(
                    e.streetCode
                      ? { regionLevel: 'street', districtCode: e.districtCode, streetCode: e.streetCode }
                      : { regionLevel: 'district', districtCode: e.districtCode, streetCode: undefined },
                  );
              }}
            />
          </Form.Item>
        )}
        {role && freeLevel && (
          <Form.Item name="regionLevel" label={t('user.regionLevel')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'city', label: t('user.levelCity') },
                { value: 'district', label: t('user.levelDistrict') },
                { value: 'street', label: t('user.levelStreet') },
              ]}
            />
          </Form.Item>
        )}
        {role && level === 'city' && (
          <Typography.Paragraph type="secondary">{t('user.regionHintCity')}</Typography.Paragraph>
        )}
        {role && level !== 'city' && (
          <Row gutter={16}>
            <Col xs={24} sm={12}>
              <Form.Item name="districtCode" label={t('ent.district')} rules={[choose(t('ent.district'))]}>
                <DistrictSelect allowClear={false} />
              </Form.Item>
            </Col>
            {level === 'street' && (
              <Col xs={24} sm={12}>
                <Form.Item name="streetCode" label={t('ent.street')} rules={[choose(t('ent.street'))]}>
                  <StreetSelect districtCode={districtCode} />
                </Form.Item>
              </Col>
            )}
          </Row>
        )}
        <Form.Item label={t('user.password')} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="password" noStyle rules={passwordRules(t)}>
              <Input.Password autoComplete="new-password" visibilityToggle={{ visible: showPassword, onVisibleChange: setShowPassword }} />
            </Form.Item>
            <Button
              icon={<ThunderboltOutlined />}
              onClick={() => {
                form.setFieldValue('password', generatePassword());
                void form.validateFields(['password']);
                setShowPassword(true);
              }}
            >
              {t('user.generate')}
            </Button>
          </Space.Compact>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
