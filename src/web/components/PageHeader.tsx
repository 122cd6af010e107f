import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useT } from '../i18n';

export function PageHeader({
  title,
  subTitle,
  extra,
  backTo,
  tags,
}: {
  title: ReactNode;
  subTitle?: ReactNode;
  extra?: ReactNode;
  backTo?: string;
  tags?: ReactNode;
}) {
  const t = useT();
  const navigate = useNavigate();
  // The first page of a visit has key 'default': there is nothing in-app to go back to.
  const canGoBack = useLocation().key !== 'default';
  return (
    <Flex className="zb-page-header" justify="space-between" align="flex-start" gap={12} wrap>
      <Flex gap={8} align="flex-start" style={{ minWidth: 0, flex: '1 1 320px' }}>
        {backTo && (
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            aria-label={t('common.back')}
            title={t('common.back')}
            onClick={() => (canGoBack ? navigate(-1) : navigate(backTo))}
            data-testid="page-back"
          />
        )}
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={3} className="zb-page-title" data-testid="page-title">
            {title}
          </Typography.Title>
          {tags && <div className="zb-page-tags">{tags}</div>}
          {subTitle && <Typography.Text type="secondary">{subTitle}</Typography.Text>}
        </div>
      </Flex>
      {extra && (
        <Flex gap={8} wrap>
          {extra}
        </Flex>
      )}
    </Flex>
  );
}
