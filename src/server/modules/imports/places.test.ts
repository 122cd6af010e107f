import { describe, expect, it } from 'vitest';
import { testActor } from '../../test/actors';
import { industryReader, placeOf, type RegionTree } from './places';

const read = industryReader({
  divisions: new Map([
    ['34', { name: '通用设备制造业', section: 'C' }],
    ['17', { name: '纺织业', section: 'C' }],
    ['62', { name: '餐饮业', section: 'H' }],
  ]),
  sections: new Map([
    ['C', '制造业'],
    ['H', '住宿和餐饮业'],
  ]),
});

describe('industries as registries write them', () => {
  it('reads a division code, section and division in one cell, a code with its name, and the name alone', () => {
    for (const cell of ['34', 'C34', 'C 34', 'c-34', '3411', '34 通用设备制造业', '34通用设备制造业', '通用设备制造业', '通用设备制造', 'C通用设备制造业', '３４']) {
      expect(read(cell), cell).toEqual({ ok: true, value: '34' });
    }
    expect(read('', '')).toEqual({ ok: true, value: null });
  });

  it('takes section and division from two columns, and refuses them when they disagree', () => {
    expect(read('34', 'C')).toEqual({ ok: true, value: '34' });
    expect(read('34', '制造业')).toEqual({ ok: true, value: '34' });
    expect(read('62', 'C')).toEqual({ ok: false, message: '行业门类「C 制造业」与大类「62 餐饮业」不符（62 属于门类 H 住宿和餐饮业）' });
    expect(read('H62', 'C')).toMatchObject({ ok: false });
    expect(read('34', 'Z')).toEqual({ ok: false, message: '未知的行业门类：Z（门类为 A–T 的字母）' });
  });

  it('says so when only a section is given, and refuses a word that is no classification', () => {
    expect(read('', 'C')).toEqual({ ok: false, unknownWord: true, message: '只填写了行业门类「C 制造业」，请补充两位大类代码（如 34），或在预览中为它选择大类' });
    expect(read('C')).toEqual({ ok: false, unknownWord: true, message: '只填写了行业门类「C 制造业」，请补充两位大类代码，或在预览中为它选择大类' });
    expect(read('制造业')).toMatchObject({ ok: false, message: expect.stringMatching(/^只填写了行业门类「C 制造业」/) });
    expect(read('精密机械')).toEqual({ ok: false, unknownWord: true, message: '未知的行业：精密机械（请填写 GB/T 4754 大类代码如 34、门类加大类如 C34，或大类名称如 通用设备制造业）' });
    expect(read('99')).toMatchObject({ ok: false });
  });
});

const tree: RegionTree = {
  districts: new Map([
    ['浦东新区', '310115'],
    ['310115', '310115'],
    ['黄浦区', '310101'],
    ['310101', '310101'],
  ]),
  districtNames: new Map([
    ['310115', '浦东新区'],
    ['310101', '黄浦区'],
  ]),
  streetsByName: new Map([
    ['陆家嘴街道', [{ code: '310115005', district: '310115' }]],
    ['外滩街道', [{ code: '310101002', district: '310101' }]],
    ['新华路街道', [
      { code: '310115901', district: '310115' },
      { code: '310101901', district: '310101' },
    ]],
  ]),
  streetIn: new Map([
    ['310115|陆家嘴街道', '310115005'],
    ['310101|外滩街道', '310101002'],
    ['310115|新华路街道', '310115901'],
    ['310101|新华路街道', '310101901'],
  ]),
};
const city = testActor('city_officer');
const pudong = testActor('district_officer', { regionCode: '310115', districtCode: '310115' });
const PUDONG_USCC = '91310115MA1K4ABC1X';

describe('the district of a registry row', () => {
  it('comes from the district column, then a street that is unique, then the importer’s district, then the credit code', () => {
    expect(placeOf(tree, city, { district: '浦东新区', street: '', uscc: '' })).toEqual({ ok: true, district: '310115', street: null, source: 'column' });
    expect(placeOf(tree, city, { district: '', street: '外滩街道', uscc: '' })).toEqual({ ok: true, district: '310101', street: '310101002', source: 'street' });
    expect(placeOf(tree, pudong, { district: '', street: '', uscc: '' })).toEqual({ ok: true, district: '310115', street: null, source: 'user' });
    expect(placeOf(tree, city, { district: '', street: '', uscc: PUDONG_USCC })).toEqual({ ok: true, district: '310115', street: null, source: 'uscc' });
    // A street name two districts share is settled by the district the row or the importer gives.
    expect(placeOf(tree, pudong, { district: '', street: '新华路街道', uscc: '' })).toEqual({ ok: true, district: '310115', street: '310115901', source: 'street' });
    expect(placeOf(tree, city, { district: '', street: '新华路街道', uscc: '' })).toMatchObject({ ok: false, column: 'street', message: expect.stringMatching(/在多个区都有（浦东新区、黄浦区）/) });
  });

  it('names both sources when two disagree', () => {
    expect(placeOf(tree, pudong, { district: '', street: '外滩街道', uscc: '' })).toEqual({ ok: false, column: 'street', message: '所属区不一致：街道/乡镇列为黄浦区，导入人所在区为浦东新区' });
    // A column naming another district is a matter of scope (the import refuses it as outside), not of sources.
    expect(placeOf(tree, pudong, { district: '黄浦区', street: '', uscc: '' })).toEqual({ ok: true, district: '310101', street: null, source: 'column' });
    expect(placeOf(tree, city, { district: '黄浦区', street: '陆家嘴街道', uscc: '' })).toEqual({ ok: false, column: 'district', message: '所属区不一致：区列为黄浦区，街道/乡镇列为浦东新区' });
    expect(placeOf(tree, city, { district: '黄浦区', street: '不存在街道', uscc: '' })).toEqual({ ok: false, column: 'street', message: '不存在街道不属于黄浦区' });
  });

  it('refuses what names no district, and says what is missing when nothing tells', () => {
    expect(placeOf(tree, city, { district: '火星区', street: '', uscc: '' })).toEqual({ ok: false, column: 'district', message: '未知的区：火星区' });
    expect(placeOf(tree, city, { district: '', street: '', uscc: '91440300MA5ABCDE1X' })).toMatchObject({ ok: false, column: 'district', message: expect.stringMatching(/^无法确定所属区/) });
  });
});
