import { AlertOutlined, BankOutlined, BookOutlined, ShopOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Row, Space, Tag, Typography } from 'antd';
import { Navigate, useNavigate } from 'react-router-dom';
import { api } from '../api';
import { RoleLabel } from '../components/Tags';
import { useAsync } from '../hooks';
import { useT } from '../i18n';
import { useMe } from '../session';
import { cockpitPath } from './cockpit/access';
import EnterpriseHome from './selfchecks/EnterpriseHome';

interface Health {
  status: string;
  db: string;
}

/** Home is one's cockpit; for those without one, who they are and where to go. */
export default function HomePage() {
  const me = useMe();
  const cockpit = cockpitPath(me);
  // An enterprise lands on its workbench: what is due, what is open, what it was told.
  if (me.role === 'enterprise' && me.enterpriseId) return <EnterpriseHome />;
  // The custodian of reporters' identities works on the tips alone.
  if (me.role === 'tip_custodian') return <Navigate to="/tips" replace />;
  return cockpit ? <Navigate to={cockpit} replace /> : <Welcome />;
}

function Welcome() {
  const me = useMe();
  const t = useT();
  const navigate = useNavigate();
  const health = useAsync((signal) => api.get<Health>('/api/health', undefined, signal), []);

  return (
    <div className="zb-page">
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card className="zb-card" data-testid="welcome-card">
            <Typography.Title level={3} style={{ marginTop: 0 }}>
              {t('home.welcome', { name: me.displayName })}
            </Typography.Title>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 'role', label: t('home.role'), children: <Tag color="blue"><RoleLabel role={me.role} /></Tag> },
                { key: 'region', label: t('home.region'), children: me.regionName ?? me.regionCode },
                ...(me.departmentName ? [{ key: 'dept', label: t('home.department'), children: me.departmentName }] : []),
                ...(me.enterpriseName ? [{ key: 'ent', label: t('home.enterprise'), children: me.enterpriseName }] : []),
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card className="zb-card" title={t('home.quick')} size="small">
              <Space wrap>
                <Button icon={<AlertOutlined />} onClick={() => navigate('/hazards')}>
                  {t('nav.hazards')}
                </Button>
                {me.role === 'enterprise' ? (
                  <Button icon={<ShopOutlined />} onClick={() => navigate('/my-enterprise')}>
                    {t('nav.myEnterprise')}
                  </Button>
                ) : (
                  <Button icon={<BankOutlined />} onClick={() => navigate('/enterprises')}>
                    {t('nav.enterprises')}
                  </Button>
                )}
                <Button icon={<BookOutlined />} onClick={() => navigate('/standards')}>
                  {t('nav.standards')}
                </Button>
              </Space>
            </Card>
            <Card className="zb-card" title={t('home.server')} size="small">
              {health.data ? (
                <Tag color={health.data.status === 'ok' ? 'green' : 'red'}>{t('home.serverOk', { db: health.data.db })}</Tag>
              ) : health.error ? (
                <Tag color="red">{t('common.error')}</Tag>
              ) : (
                <Tag>{t('common.loading')}</Tag>
              )}
            </Card>
          </Space>
        </Col>
      </Row>
    </div>
  );
}
