import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isValidUscc } from '../../shared/uscc';
import {
  centroidsFromGeojson,
  demoDepartments,
  flattenIndustryReference,
  generateDemoEnterprises,
  type DemoDivisions,
  type DemoEnterprise,
} from './demo-city';

const ref = (name: string) => JSON.parse(readFileSync(new URL(`../../../reference/${name}`, import.meta.url), 'utf8'));

const divisions: DemoDivisions = ref('shanghai-divisions.json');
const industries = flattenIndustryReference(ref('industry-gbt4754.json'));
const centroids = centroidsFromGeojson(ref('shanghai-districts.geojson'));

const streetsOf = new Map(divisions.districts.map((d) => [d.code, new Set(d.streets.map((s) => s.code9))]));
const industryCodes = new Set(industries.map((i) => i.code));
const sectionOf = new Map(industries.map((i) => [i.code, i.section]));

const gen = (count: number, seed?: number, withCentroids = true) =>
  generateDemoEnterprises({ divisions, industries, count, seed, centroids: withCentroids ? centroids : undefined });

const share = (list: DemoEnterprise[], pred: (e: DemoEnterprise) => boolean) => list.filter(pred).length / list.length;

describe('reference data', () => {
  it('loads 16 districts, 234 streets and 97 divisions', () => {
    expect(divisions.districts).toHaveLength(16);
    expect(divisions.districts.reduce((n, d) => n + d.streets.length, 0)).toBe(234);
    expect(industries).toHaveLength(97);
  });
});

describe('generateDemoEnterprises', () => {
  const sample = gen(20_000, 7);

  it('is deterministic for a seed and varies with the seed', () => {
    expect(gen(2000, 7)).toEqual(gen(2000, 7));
    expect(gen(2000)).toEqual(gen(2000, 1)); // default seed
    const a = gen(2000, 7);
    const b = gen(2000, 8);
    expect(b).not.toEqual(a);
    expect(b.slice(0, 2)).toEqual(a.slice(0, 2)); // the two fixed enterprises ignore the seed
    expect(b.slice(2).filter((e, i) => e.name === a[i + 2].name).length).toBeLessThan(20);
  });

  it('is prefix-stable: fewer enterprises are a prefix of more', () => {
    expect(gen(500, 3)).toEqual(gen(3000, 3).slice(0, 500));
  });

  it('honours count', () => {
    for (const n of [0, 1, 2, 3, 17, 18, 1234]) expect(gen(n)).toHaveLength(n);
    expect(() => gen(-1)).toThrow();
    expect(() => gen(1.5)).toThrow();
  });

  it('makes the first two enterprises the fixed 浦东/陆家嘴 manufacturer and 黄浦 trader', () => {
    const [pd, hp] = sample;
    expect(pd.key).toBe('ent-000000');
    expect(pd.districtCode).toBe('310115');
    expect(pd.streetCode).toBe('310115005');
    expect(sectionOf.get(pd.industryCode)).toBe('C');
    expect(pd.address.startsWith('上海市浦东新区陆家嘴街道')).toBe(true);
    expect(hp.key).toBe('ent-000001');
    expect(hp.districtCode).toBe('310101');
    expect(streetsOf.get('310101')!.has(hp.streetCode)).toBe(true);
    expect(sectionOf.get(hp.industryCode)).toBe('F');
    expect(gen(1)).toEqual([pd]);
    expect(gen(2, 99, true)).toEqual([pd, hp]);
  });

  it('covers all 16 districts, even with few enterprises', () => {
    expect(new Set(gen(18).map((e) => e.districtCode)).size).toBe(16);
    expect(new Set(sample.map((e) => e.districtCode)).size).toBe(16);
  });

  it('puts every enterprise in a street of its own district and a known 2-digit division', () => {
    const bad = sample.filter(
      (e) =>
        !streetsOf.get(e.districtCode)?.has(e.streetCode) ||
        !e.streetCode.startsWith(e.districtCode) ||
        !/^\d{2}$/.test(e.industryCode) ||
        !industryCodes.has(e.industryCode),
    );
    expect(bad).toEqual([]);
  });

  it('issues valid, unique 统一社会信用代码 starting with 91 + district code', () => {
    const bad = sample.filter((e) => e.uscc.length !== 18 || !e.uscc.startsWith(`91${e.districtCode}`) || !isValidUscc(e.uscc));
    expect(bad).toEqual([]);
    expect(new Set(sample.map((e) => e.uscc)).size).toBe(sample.length);
  });

  it('gives unique, plausible names, keys, addresses, people and phones', () => {
    expect(new Set(sample.map((e) => e.name)).size).toBe(sample.length);
    expect(new Set(sample.map((e) => e.key)).size).toBe(sample.length);
    const districtName = new Map(divisions.districts.map((d) => [d.code, d.name]));
    const streetName = new Map(divisions.districts.flatMap((d) => d.streets.map((s) => [s.code9, s.name] as const)));
    const person = /^[\u4e00-\u9fff]{2,3}$/;
    const phone = /^(13\d{9}|021-\d{8})$/;
    const bad = sample.filter(
      (e) =>
        !/^ent-\d{6}$/.test(e.key) ||
        !/^上海[\u4e00-\u9fff]{2,}(股份)?有限公司$/.test(e.name) ||
        !e.address.startsWith(`上海市${districtName.get(e.districtCode)}${streetName.get(e.streetCode)}`) ||
        !/(路|街|大道)\d+(弄\d+)?号$/.test(e.address) ||
        !person.test(e.principalName) ||
        !person.test(e.safetyManagerName) ||
        !phone.test(e.principalPhone) ||
        !phone.test(e.safetyManagerPhone),
    );
    expect(bad).toEqual([]);
  });

  it('places enterprises within ±0.03 of their district centroid, 6 decimals', () => {
    const near = (e: DemoEnterprise, [cLng, cLat]: [number, number]) =>
      Math.abs(e.lng - cLng) <= 0.030001 &&
      Math.abs(e.lat - cLat) <= 0.030001 &&
      Math.round(e.lng * 1e6) / 1e6 === e.lng &&
      Math.round(e.lat * 1e6) / 1e6 === e.lat;
    expect(sample.filter((e) => !near(e, centroids[e.districtCode] ?? [121.47, 31.23]))).toEqual([]);
    expect(gen(300, 5, false).filter((e) => !near(e, [121.47, 31.23]))).toEqual([]);
  });

  it('has a plausible district, industry, risk and standardization mix', () => {
    const byDistrict = new Map<string, number>();
    for (const e of sample) byDistrict.set(e.districtCode, (byDistrict.get(e.districtCode) ?? 0) + 1);
    const pudong = byDistrict.get('310115')!;
    for (const [code, n] of byDistrict) if (code !== '310115') expect(n).toBeLessThan(pudong);

    const sec = (e: DemoEnterprise) => sectionOf.get(e.industryCode)!;
    expect(share(sample, (e) => 'CEFGH'.includes(sec(e)))).toBeGreaterThan(0.85);
    expect(share(sample, (e) => sec(e) === 'C')).toBeGreaterThan(0.3);
    expect(share(sample, (e) => sec(e) === 'B')).toBeLessThan(0.002);
    expect(sample.some((e) => e.industryCode === '26')).toBe(true);
    for (const code of ['310101', '310151']) {
      const inD = sample.filter((e) => e.districtCode === code);
      expect(share(inD, (e) => sec(e) === 'F')).toBeGreaterThan(share(inD, (e) => sec(e) === 'C'));
    }

    const risk = (c: string) => share(sample, (e) => e.riskClass === c);
    expect(risk('major')).toBeGreaterThan(0);
    expect(risk('major')).toBeLessThan(risk('high'));
    expect(risk('high')).toBeLessThan(risk('low'));
    expect(risk('general') + risk('low')).toBeGreaterThan(0.8);
    expect(share(sample, (e) => e.standardizationLevel === 'none' || e.standardizationLevel === 'level3')).toBeGreaterThan(0.8);
    expect(share(sample, (e) => e.standardizationLevel === 'level1')).toBeLessThan(0.05);
  });

  it('generates 200,000 enterprises with unique keys, codes and names', () => {
    const big = gen(200_000, 2025);
    expect(big).toHaveLength(200_000);
    expect(new Set(big.map((e) => e.key)).size).toBe(200_000);
    expect(new Set(big.map((e) => e.uscc)).size).toBe(200_000);
    expect(new Set(big.map((e) => e.name)).size).toBe(200_000);
  }, 60_000);
});

describe('demoDepartments', () => {
  const depts = demoDepartments(divisions);

  it('has the city 应急管理局 `yjj` supervising exactly manufacturing and trade', () => {
    const yjj = depts.find((d) => d.key === 'yjj')!;
    expect(yjj).toMatchObject({ name: '市应急管理局', regionCode: '310000', industryCodes: ['C', 'F'] });
  });

  it('has a few city departments and one 应急管理局 per district', () => {
    const city = depts.filter((d) => d.regionCode === '310000');
    expect(city.length).toBeGreaterThanOrEqual(4);
    for (const s of ['E', 'G', 'H']) expect(city.some((d) => d.industryCodes.includes(s))).toBe(true);
    for (const d of divisions.districts) {
      const own = depts.filter((x) => x.regionCode === d.code);
      expect(own).toHaveLength(1);
      expect(own[0]).toMatchObject({ key: `yjj-${d.code}`, name: `${d.name}应急管理局`, industryCodes: ['C', 'F'] });
    }
  });

  it('uses unique keys and valid industry codes', () => {
    expect(new Set(depts.map((d) => d.key)).size).toBe(depts.length);
    const sections = new Set(industries.map((i) => i.section));
    for (const d of depts) {
      expect(d.industryCodes.length).toBeGreaterThan(0);
      for (const c of d.industryCodes) expect(/^[A-T]$/.test(c) ? sections.has(c) : industryCodes.has(c)).toBe(true);
    }
  });
});
