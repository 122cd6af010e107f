/** The region tree and the GB/T 4754 catalogue as the importers read places and industries with them. */
import type { ActorCtx } from '../../context';
import type { Allowed } from './layout';
import { industryReader, type RegionTree } from './places';

export async function loadPlaceCatalogues(ctx: ActorCtx) {
  const regions = await ctx.db.selectFrom('regions').select(['code', 'name', 'level', 'parent_code']).where('code', 'like', `${ctx.actor.cityCode.slice(0, 2)}%`).execute();
  const tree: RegionTree = { districts: new Map(), districtNames: new Map(), streetsByName: new Map(), streetIn: new Map() };
  for (const r of regions.filter((x) => x.level === 'district')) {
    tree.districts.set(r.name, r.code);
    tree.districts.set(r.code, r.code);
    tree.districtNames.set(r.code, r.name);
  }
  for (const r of regions.filter((x) => x.level === 'street')) {
    tree.streetIn.set(`${r.parent_code}|${r.name}`, r.code);
    tree.streetIn.set(`${r.parent_code}|${r.code}`, r.code);
    for (const key of [r.name, r.code]) tree.streetsByName.set(key, [...(tree.streetsByName.get(key) ?? []), { code: r.code, district: r.parent_code! }]);
  }
  const industries = await ctx.db.selectFrom('industries').select(['code', 'name', 'level', 'parent_code']).execute();
  const readIndustry = industryReader({
    divisions: new Map(industries.filter((i) => i.level === 'division').map((i) => [i.code, { name: i.name, section: i.parent_code ?? '' }])),
    sections: new Map(industries.filter((i) => i.level === 'section').map((i) => [i.code, i.name])),
  });
  const divisions: Allowed[] = industries.filter((i) => i.level === 'division').map((i) => ({ value: i.code, label: `${i.code} ${i.name}` }));
  return { tree, readIndustry, divisions };
}
