import type { FormInstance } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { scopeOf } from '../format';
import { useT } from '../i18n';
import { useMe } from '../session';
import type { FilterValues } from './ListPage';
import { FilterItem } from './ListPage';
import { DistrictSelect, StreetSelect } from './RegionSelects';

/**
 * The district and street filters of a list, as far as the user's own region leaves a choice:
 * a city user both, a district user the streets of its district, a street user none.
 */
export function RegionFilters() {
  const t = useT();
  const me = useMe();
  const [params] = useSearchParams();
  const scope = scopeOf(me.regionCode);
  const districtFilter = params.get('districtCode') ?? scope.districtCode;
  return (
    <>
      {scope.level === 'city' && (
        <FilterItem name="districtCode" label={t('ent.district')}>
          <DistrictSelect placeholder={t('common.all')} data-testid="filter-district" />
        </FilterItem>
      )}
      {scope.level !== 'street' && (
        <FilterItem name="streetCode" label={t('ent.street')}>
          <StreetSelect districtCode={districtFilter} placeholder={t('common.all')} data-testid="filter-street" />
        </FilterItem>
      )}
    </>
  );
}

/** A ListPage onFiltersChange: another district empties the street chosen in the old one. */
export function clearStreetOnDistrict(changed: FilterValues, form: FormInstance) {
  if ('districtCode' in changed) form.setFieldValue('streetCode', undefined);
}
