/**
 * Where an enterprise is and what it does, as registries write them. Pure: the region tree and the
 * GB/T 4754 catalogue come in as data.
 *
 * - Industry: a division code (34), a section and division in one cell (C34, C 34, C-34) or in two
 *   columns (行业门类 + 行业大类), a code with its name (34 通用设备制造业), or the division's name.
 * - District: the district column; else a street or town that names one street in the importer's
 *   reach; else the importer's own district; else the administrative division in the credit code
 *   (characters 3–8, GB 32100) when it is a district of the city. Where the column and the street,
 *   or (without a column) the street and the importer, give different districts, the row names both
 *   and is refused. The credit code is used last and never contradicts: where a company was
 *   registered need not be where it works.
 */
import type { Actor } from '../../scope/scope';
import type { Parsed } from './normalize';

export interface IndustryCatalogue {
  /** Division code → its name and section letter. */
  divisions: Map<string, { name: string; section: string }>;
  /** Section letter → its name. */
  sections: Map<string, string>;
}

const compact = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
const CODE_FORMS = /^([A-T])?[-—_.、]?(\d{2})(?:\d{0,2})(?:[^\d].*)?$/;
const FORMS = '请填写 GB/T 4754 大类代码如 34、门类加大类如 C34，或大类名称如 通用设备制造业';

export function industryReader(cat: IndustryCatalogue) {
  const byName = new Map<string, string>();
  for (const [code, d] of cat.divisions) {
    byName.set(compact(d.name), code);
    byName.set(compact(d.name).replace(/业$/, ''), code);
  }
  const sectionByName = new Map([...cat.sections].map(([letter, name]) => [compact(name), letter]));
  const sectionText = (letter: string) => `${letter} ${cat.sections.get(letter) ?? ''}`.trim();

  /** The division of a row, from its industry cell and, where the file has one, its section cell. */
  return (divisionCell: string, sectionCell = ''): Parsed<string | null> => {
    const text = compact(divisionCell);
    const sectionGiven = compact(sectionCell);
    const section = sectionGiven ? (/^[A-T]$/.test(sectionGiven) ? sectionGiven : (sectionByName.get(sectionGiven) ?? sectionGiven.replace(/^([A-T])[^A-Z].*$/, '$1'))) : '';
    if (sectionGiven && !cat.sections.has(section)) return { ok: false, message: `未知的行业门类：${sectionCell.trim()}（门类为 A–T 的字母）` };
    if (!text) {
      if (section) return { ok: false, unknownWord: true, message: `只填写了行业门类「${sectionText(section)}」，请补充两位大类代码（如 ${[...cat.divisions].find(([, d]) => d.section === section)?.[0] ?? '34'}），或在预览中为它选择大类` };
      return { ok: true, value: null };
    }
    let code: string | undefined;
    let inCell: string | undefined;
    const m = CODE_FORMS.exec(text);
    if (m && cat.divisions.has(m[2])) {
      code = m[2];
      inCell = m[1];
    } else {
      code = byName.get(text) ?? byName.get(text.replace(/^[A-T][-—_.、]?/, ''));
      if (!code && /^[A-T]$/.test(text)) return { ok: false, unknownWord: true, message: `只填写了行业门类「${sectionText(text)}」，请补充两位大类代码，或在预览中为它选择大类` };
      if (!code && sectionByName.has(text)) return { ok: false, unknownWord: true, message: `只填写了行业门类「${sectionText(sectionByName.get(text)!)}」，请补充两位大类代码，或在预览中为它选择大类` };
    }
    if (!code) return { ok: false, unknownWord: true, message: `未知的行业：${divisionCell.trim()}（${FORMS}）` };
    const division = cat.divisions.get(code)!;
    for (const said of [inCell, section]) {
      if (said && said !== division.section) {
        return { ok: false, message: `行业门类「${sectionText(said)}」与大类「${code} ${division.name}」不符（${code} 属于门类 ${sectionText(division.section)}）` };
      }
    }
    return { ok: true, value: code };
  };
}

export interface RegionTree {
  /** District name or code → code, within the city. */
  districts: Map<string, string>;
  districtNames: Map<string, string>;
  /** Street name or code → the districts it lies in (a name may recur across districts). */
  streetsByName: Map<string, { code: string; district: string }[]>;
  /** `district|street name or code` → street code. */
  streetIn: Map<string, string>;
}

export type DistrictSource = 'column' | 'street' | 'user' | 'uscc';
export const DISTRICT_SOURCE_LABELS: Record<DistrictSource, string> = {
  column: '区列',
  street: '街道/乡镇列',
  user: '导入人所在区',
  uscc: '统一社会信用代码中的行政区划',
};

export type DistrictResult = { ok: true; district: string; street: string | null; source: DistrictSource } | { ok: false; column: 'district' | 'street'; message: string };

/** The district (and street) of a registry row, with where the district came from. */
export function placeOf(tree: RegionTree, actor: Actor, cells: { district: string; street: string; uscc: string }): DistrictResult {
  const name = (code: string) => tree.districtNames.get(code) ?? code;
  const districtText = cells.district.trim();
  const streetText = cells.street.trim();
  const fromColumn = districtText ? tree.districts.get(districtText) : undefined;
  if (districtText && !fromColumn) return { ok: false, column: 'district', message: `未知的区：${districtText}` };
  const own = actor.districtCode ?? undefined;
  // A street: within the district the row names (or the importer's own), else anywhere it is unique.
  let fromStreet: string | undefined;
  let street: string | null = null;
  if (streetText) {
    const where = fromColumn ?? own;
    const inWhere = where ? tree.streetIn.get(`${where}|${streetText}`) : undefined;
    if (inWhere) {
      street = inWhere;
      fromStreet = where;
    } else {
      const found = tree.streetsByName.get(streetText) ?? [];
      if (found.length === 1) {
        street = found[0].code;
        fromStreet = found[0].district;
      } else if (found.length > 1) {
        return { ok: false, column: 'street', message: `街道/乡镇「${streetText}」在多个区都有（${found.map((f) => name(f.district)).join('、')}），请填写所属区` };
      } else {
        return { ok: false, column: 'street', message: fromColumn ? `${streetText}不属于${name(fromColumn)}` : `未知的街道/乡镇：${streetText}` };
      }
    }
  }
  // The importer's own district stands in for a missing column; a column that names another district is
  // a question of scope (refused as outside it), not a conflict of sources.
  const sources: [DistrictSource, string | undefined][] = [
    ['column', fromColumn],
    ['street', fromStreet],
    ['user', fromColumn ? undefined : own],
  ];
  const stated = sources.filter((s): s is [DistrictSource, string] => !!s[1]);
  for (const [source, district] of stated.slice(1)) {
    if (district !== stated[0][1]) {
      return {
        ok: false,
        column: stated[0][0] === 'column' ? 'district' : 'street',
        message: `所属区不一致：${DISTRICT_SOURCE_LABELS[stated[0][0]]}为${name(stated[0][1])}，${DISTRICT_SOURCE_LABELS[source]}为${name(district)}`,
      };
    }
  }
  if (stated.length) return { ok: true, district: stated[0][1], street, source: stated[0][0] };
  const division = /^[0-9A-Z]{2}(\d{6})/.exec(cells.uscc)?.[1];
  if (division && tree.districtNames.has(division)) return { ok: true, district: division, street: null, source: 'uscc' };
  return { ok: false, column: 'district', message: '无法确定所属区：请填写“所属区”列（文件中没有区，也无法从街道、导入人或统一社会信用代码推断）' };
}
