import { LangSwitch } from './LangSwitch';
import { useT } from '../i18n';

/** The header of the pages anyone opens without signing in (a published draw, the tip door): the brand and the language. */
export function PublicHeader() {
  const t = useT();
  return (
    <header className="zb-public-header">
      <span className="zb-brand">
        <img src="/favicon.svg" alt="" width={28} height={28} />
        <span className="zb-brand-name">{t('app.name')}</span>
      </span>
      <LangSwitch />
    </header>
  );
}
