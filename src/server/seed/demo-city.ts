// Synthetic demo city: enterprises and supervising departments for Zhiben's demo and benchmarks.
//
// Everything here is SYNTHETIC. Company names, people, phone numbers, addresses and credit codes
// are generated from small pools by a seeded PRNG; any resemblance to a real company or person is
// coincidental. The distributions (districts, industries, risk classes) are rough, plausible
// weights chosen for a believable demo — they are not statistics and nothing here is official.
//
// Pure and deterministic: no I/O, no database, no Math.random. The reference data (divisions,
// industries, centroids) is passed in by the caller. The output for a given (inputs, seed) is
// identical on every run, and generating N enterprises yields a prefix of generating M > N.

import { USCC_ALPHABET, usccCheckChar } from '../../shared/uscc';

// ───────────────────────────── public types ─────────────────────────────

export interface DemoDivisions {
  districts: { code: string; name: string; streets: { code9: string; name: string; type: string }[] }[];
}

/** A 2-digit GB/T 4754 大类 with its 门类 letter. */
export interface DemoIndustryDivision {
  code: string;
  name: string;
  section: string;
}

export type DemoRiskClass = 'major' | 'high' | 'general' | 'low';
export type DemoStandardizationLevel = 'level1' | 'level2' | 'level3' | 'none';

export interface DemoEnterprise {
  /** stable key, e.g. 'ent-000123' (the index, zero-padded to 6 digits) */
  key: string;
  /** valid 统一社会信用代码: '91' + district code + 'MA1' + 6 chars + check char */
  uscc: string;
  name: string;
  address: string;
  districtCode: string;
  /** 9-digit 乡级 code belonging to districtCode */
  streetCode: string;
  /** 2-digit GB/T 4754 division code */
  industryCode: string;
  principalName: string;
  principalPhone: string;
  safetyManagerName: string;
  safetyManagerPhone: string;
  riskClass: DemoRiskClass;
  standardizationLevel: DemoStandardizationLevel;
  lng: number;
  lat: number;
}

export interface DemoDepartment {
  key: string;
  name: string;
  /** '310000' for a city department, a district code for a district one */
  regionCode: string;
  /** GB/T 4754 section letters or 2-digit division codes it supervises (管行业必须管安全) */
  industryCodes: string[];
}

export interface GenerateDemoEnterprisesOptions {
  divisions: DemoDivisions;
  industries: DemoIndustryDivision[];
  count: number;
  /** PRNG seed (default 1). Enterprises 0 and 1 do not depend on it. */
  seed?: number;
  /** district code → [lng, lat]; districts without one use the Shanghai centre (121.47, 31.23) */
  centroids?: Record<string, [number, number]>;
}

// ───────────────────────────── constants ─────────────────────────────

export const DEMO_DEFAULT_SEED = 1;
/** Upper bound on `count` (keeps the USCC scramble inside exact double arithmetic). */
export const DEMO_MAX_COUNT = 10_000_000;

const SHANGHAI_CENTRE: [number, number] = [121.47, 31.23];
const JITTER = 0.03;

/** The two fixed enterprises the demo accounts `ent-pd` and `ent-hp` attach to. */
export const DEMO_SPECIAL = {
  pudong: { index: 0, districtCode: '310115', streetCode: '310115005', industryPreference: ['34', '35', '33'] },
  huangpu: { index: 1, districtCode: '310101', streetName: '南京东路街道', industryPreference: ['51', '52'] },
} as const;

// ───────────────────────────── PRNG ─────────────────────────────

/** mulberry32: tiny, fast, good enough for synthetic data. Returns floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Cumulative weight table; `pick` returns an index with probability weight/total. */
function cumulative(weights: number[]): Float64Array {
  const cum = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    s += Math.max(0, weights[i]);
    cum[i] = s;
  }
  return cum;
}

function pick(cum: Float64Array, r: number): number {
  const x = r * cum[cum.length - 1];
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

// ───────────────────────────── weights ─────────────────────────────

/**
 * District weights: a rough proxy for each district's number of work-safety-supervised
 * enterprises (economic size, industrial land). 浦东 is by far the largest; the industrial
 * suburbs come next; the small central districts and 崇明 last.
 */
const DISTRICT_WEIGHTS: Record<string, number> = {
  '310115': 22, // 浦东新区
  '310112': 9, // 闵行区
  '310114': 8, // 嘉定区
  '310117': 8, // 松江区
  '310120': 6.5, // 奉贤区
  '310113': 6, // 宝山区
  '310118': 6, // 青浦区
  '310116': 4.5, // 金山区
  '310104': 4, // 徐汇区
  '310106': 4, // 静安区
  '310107': 3.5, // 普陀区
  '310110': 3.5, // 杨浦区
  '310151': 3.5, // 崇明区
  '310105': 3, // 长宁区
  '310101': 3, // 黄浦区
  '310109': 2.5, // 虹口区
};
const DEFAULT_DISTRICT_WEIGHT = 3;

/**
 * City-wide industry weights per 2-digit division (percent-ish; sums to ~100).
 * C 制造业 ≈ 41, F 批发零售 ≈ 22, E 建筑 ≈ 10.5, G 交通运输仓储 ≈ 10.5, H 住宿餐饮 ≈ 9,
 * the rest (A, D, K, L, M, N, O, P, Q, R) ≈ 7, B 采矿 ≈ 0.06. Divisions not listed get 0.
 */
const INDUSTRY_WEIGHTS: Record<string, number> = {
  // A 农林牧渔
  '01': 0.4, '03': 0.2, '04': 0.15, '05': 0.05,
  // B 采矿 — almost none in Shanghai
  '10': 0.05, '11': 0.01,
  // C 制造业
  '13': 1, '14': 1.5, '15': 0.4, '16': 0.03, '17': 0.8, '18': 1.2, '19': 0.3, '20': 0.4,
  '21': 0.9, '22': 0.9, '23': 1.8, '24': 0.8, '25': 0.3, '26': 4, '27': 1.8, '28': 0.2,
  '29': 3.2, '30': 1.8, '31': 0.4, '32': 0.7, '33': 4.8, '34': 4.8, '35': 3.3, '36': 2.8,
  '37': 0.8, '38': 3.3, '39': 3.3, '40': 0.9, '41': 0.4, '42': 0.4, '43': 0.9,
  // D 电力燃气水
  '44': 0.5, '45': 0.5, '46': 0.3,
  // E 建筑业
  '47': 3, '48': 2.5, '49': 2, '50': 3,
  // F 批发和零售
  '51': 12, '52': 10,
  // G 交通运输、仓储和邮政
  '53': 0.05, '54': 4, '55': 1, '56': 0.3, '57': 0.05, '58': 1.5, '59': 3, '60': 0.6,
  // H 住宿和餐饮
  '61': 2, '62': 7,
  // K/L/M/N/O/P/Q/R — premises with some work-safety relevance
  '70': 1, '72': 1.5, '74': 0.5, '77': 0.4, '78': 0.4, '80': 0.6, '81': 1.2,
  '83': 0.2, '84': 0.3, '89': 0.3, '90': 0.6,
};

type Profile = { sections: Partial<Record<string, number>>; divisions?: Record<string, number> };

const CENTRAL: Profile['sections'] = { A: 0, B: 0, C: 0.25, D: 0.5, F: 1.6, G: 0.6, H: 1.8, K: 1.5, L: 1.5, O: 1.2, R: 1.5 };
const URBAN: Profile['sections'] = { A: 0, B: 0, C: 0.45, F: 1.3, G: 0.8, H: 1.4, K: 1.2, L: 1.2 };
const SUBURB: Profile['sections'] = { C: 1.3, F: 0.85, H: 0.8 };

/** Per-district multipliers on top of INDUSTRY_WEIGHTS (by section letter, then by division). */
const DISTRICT_PROFILES: Record<string, Profile> = {
  '310101': { sections: { ...CENTRAL, C: 0.08, F: 1.9, H: 2.2 } }, // 黄浦: little manufacturing, lots of trade
  '310104': { sections: CENTRAL }, // 徐汇
  '310105': { sections: CENTRAL, divisions: { '56': 3 } }, // 长宁 (虹桥机场)
  '310106': { sections: CENTRAL }, // 静安
  '310109': { sections: CENTRAL }, // 虹口
  '310107': { sections: URBAN }, // 普陀
  '310110': { sections: URBAN }, // 杨浦
  '310112': { sections: { ...SUBURB, C: 1.2 } }, // 闵行
  '310113': { sections: { ...SUBURB, C: 1.2 }, divisions: { '31': 8, '55': 2, '59': 2 } }, // 宝山: steel, ports
  '310114': { sections: { ...SUBURB, C: 1.4 }, divisions: { '36': 3 } }, // 嘉定: automotive
  '310115': { sections: {}, divisions: { '39': 1.5, '55': 2, '56': 4, '59': 1.5 } }, // 浦东
  '310116': { sections: { ...SUBURB, C: 1.3 }, divisions: { '25': 4, '26': 4, '28': 3 } }, // 金山: chemical park
  '310117': { sections: { ...SUBURB, C: 1.4 }, divisions: { '39': 1.5 } }, // 松江
  '310118': { sections: { ...SUBURB, C: 1.2 }, divisions: { '59': 1.5, '60': 4 } }, // 青浦: express logistics
  '310120': { sections: { ...SUBURB, C: 1.4 }, divisions: { '26': 2, '27': 1.5 } }, // 奉贤
  '310151': { sections: { A: 8, C: 0.2, F: 1.3, H: 2, K: 0.6, L: 0.6 }, divisions: { '55': 2 } }, // 崇明
};

type Group = 0 | 1 | 2 | 3; // 0 industrial, 1 commercial, 2 neutral (E, G), 3 agricultural
const INDUSTRIAL_SECTIONS = new Set(['B', 'C', 'D']);
const NEUTRAL_SECTIONS = new Set(['E', 'G', 'N']);
function groupOf(section: string): Group {
  if (section === 'A') return 3;
  if (INDUSTRIAL_SECTIONS.has(section)) return 0;
  if (NEUTRAL_SECTIONS.has(section)) return 2;
  return 1;
}

type StreetKind = 'street' | 'town' | 'industrial' | 'farm' | 'resort';
function streetKind(s: { name: string; type: string }): StreetKind {
  if (/农场|林场|农业/.test(s.name)) return 'farm';
  if (/度假|旅游/.test(s.name)) return 'resort';
  if (/工业|开发区|园区|加工区|高新|保税/.test(s.name)) return 'industrial';
  if (s.type === '街道') return 'street';
  return 'town';
}
/** Street weight by [group][kind]: factories sit in towns and industrial zones, shops in 街道. */
const STREET_WEIGHTS: Record<Group, Record<StreetKind, number>> = {
  0: { street: 0.5, town: 2, industrial: 6, farm: 0.3, resort: 0.3 },
  1: { street: 3, town: 1, industrial: 0.5, farm: 0.1, resort: 1.5 },
  2: { street: 1.5, town: 1.5, industrial: 1.5, farm: 0.2, resort: 0.5 },
  3: { street: 0.05, town: 2, industrial: 0.2, farm: 6, resort: 0.5 },
};

type Tier = 0 | 1 | 2; // 0 hazardous, 1 elevated, 2 ordinary
const HAZARDOUS = new Set(['06', '07', '08', '09', '10', '11', '12', '25', '26', '28', '31', '32', '45']);
const ELEVATED = new Set([
  '13', '14', '17', '22', '23', '27', '29', '30', '33', '34', '35', '36', '37', '38', '42', '44',
  '47', '48', '49', '50', '54', '55', '57', '59',
]);
function tierOf(code: string): Tier {
  return HAZARDOUS.has(code) ? 0 : ELEVATED.has(code) ? 1 : 2;
}
const RISK_CLASSES: DemoRiskClass[] = ['major', 'high', 'general', 'low'];
/** Overall ≈ 2 % major, 8 % high, 48 % general, 42 % low. */
const RISK_WEIGHTS: Record<Tier, number[]> = {
  0: [8, 27, 45, 20],
  1: [1.5, 10, 55, 33.5],
  2: [0.3, 3, 42, 54.7],
};
const STD_LEVELS: DemoStandardizationLevel[] = ['level1', 'level2', 'level3', 'none'];
/** Overall ≈ 2 % level1, 8 % level2, 34 % level3, 56 % none (hazardous trades are certified more often). */
const STD_WEIGHTS: Record<Tier, number[]> = {
  0: [5, 20, 45, 30],
  1: [2, 8, 38, 52],
  2: [1, 5, 30, 64],
};

// ───────────────────────────── name pools ─────────────────────────────

function uniqueChars(s: string): string[] {
  return [...new Set(Array.from(s))];
}

/** Characters used for 字号 (trade names). */
const TRADE_CHARS = uniqueChars(
  '华鑫宏达盛兴泰恒隆瑞嘉博捷丰源通远凯安德信诚立正新金晨辉耀明光中申沪浦江东南天宇亚欧' +
    '福祥和顺利旺昌茂振宝鼎永久锦腾飞翔跃优卓越精科创智慧峰岳森林晟昊弘毅铭睿佳俊豪雅欣悦' +
    '晶璟琪瀚汇聚合协联众益广万千百圣君尚品臻致远航帆舟星月阳春秋景荣富贵康健宁静海川湖',
);
/** Common surnames, with a few Shanghai-typical ones (沈 陆 顾 钱 朱 徐) weighted up by repetition. */
const SURNAMES = Array.from(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程' +
    '苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚' +
    '邵万钱严武戴莫孔汤王李张刘陈徐沈陆顾钱朱周吴',
);
const GIVEN_CHARS = uniqueChars(
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华文斌辉鹏建国民红玉兰峰波宁琳颖晨浩宇' +
    '婷雪慧俊杰欣怡子涵思远嘉诚志宏海燕春梅晓东立新永庆伟忠晶莉佳琪雯佩君',
);
/** Road-name stems in the Shanghai style (provinces, cities, and common words). */
const ROAD_STEMS = [
  '江苏', '浙江', '福建', '广东', '四川', '湖南', '云南', '贵州', '山东', '河南', '江西', '安徽', '陕西', '甘肃',
  '南京', '杭州', '苏州', '宁波', '福州', '厦门', '广州', '长沙', '武汉', '昆明', '成都', '无锡', '常州', '温州',
  '长寿', '永和', '兴业', '建国', '复兴', '民生', '金桥', '龙华', '光明', '团结', '和平', '新华', '人民', '育才',
  '振兴', '繁荣', '丰收', '春申', '沪闵', '浦星', '金海', '银都', '虹梅', '莘松', '嘉松', '曹安', '沪太', '川沙',
  '华夏', '申江', '锦绣', '芳华', '海徐', '桂林', '漕宝', '松汇', '新源', '青松', '南亭', '明珠', '东方', '世纪',
];
const ROAD_DIRS = ['', '', '', '', '东', '西', '南', '北', '中'];

/** Industry words for company names, per 2-digit division; the first word is the canonical one. */
const INDUSTRY_WORDS: Record<string, string[]> = {
  '01': ['农业发展', '农业科技', '果蔬种植'], '02': ['林业'], '03': ['畜牧', '养殖'], '04': ['水产', '渔业'],
  '05': ['农业服务'],
  '06': ['煤业'], '07': ['油气'], '08': ['矿业'], '09': ['矿业'], '10': ['矿业', '石材'], '11': ['矿业服务'], '12': ['矿业'],
  '13': ['食品', '粮油', '农产品加工', '肉类食品'], '14': ['食品', '食品科技', '乳业', '烘焙食品'],
  '15': ['饮料', '酿酒', '茶业'], '16': ['烟草制品'], '17': ['纺织', '纺织品', '织造'], '18': ['服饰', '制衣', '服装'],
  '19': ['皮革制品', '鞋业'], '20': ['木业', '木制品'], '21': ['家具', '家具制造'], '22': ['纸业', '纸制品', '包装材料'],
  '23': ['印刷', '印务', '包装印刷'], '24': ['文具', '工艺品', '体育用品'], '25': ['石油化工', '燃料'],
  '26': ['化工', '化学', '精细化工', '化工科技', '涂料', '新材料'], '27': ['制药', '医药', '生物医药', '药业'],
  '28': ['化纤', '化学纤维'], '29': ['塑料制品', '橡胶制品', '塑胶'], '30': ['建材', '混凝土', '玻璃制品', '新型建材'],
  '31': ['钢铁', '特钢', '钢管'], '32': ['有色金属', '铝业', '铜业'], '33': ['金属制品', '五金', '钢结构', '紧固件'],
  '34': ['机械制造', '机械', '泵阀', '机电设备', '通用机械'], '35': ['专用设备', '机械设备', '装备', '环保设备'],
  '36': ['汽车零部件', '汽车配件', '汽车部件'], '37': ['船舶配件', '航空部件', '轨道交通设备'],
  '38': ['电气', '电器', '电缆', '电机'], '39': ['电子', '电子科技', '通信设备', '微电子'],
  '40': ['仪器仪表', '仪表', '测控技术'], '41': ['实业', '制品'], '42': ['再生资源', '资源回收', '环保科技'],
  '43': ['设备维修', '机电维修'],
  '44': ['电力', '热力', '能源'], '45': ['燃气', '液化气', '天然气'], '46': ['水务', '供水'],
  '47': ['建设工程', '建筑工程', '建设'], '48': ['市政工程', '路桥工程', '土木工程', '基础工程'],
  '49': ['安装工程', '机电安装', '设备安装'], '50': ['装饰工程', '装潢', '建筑装饰'],
  '51': ['商贸', '贸易', '国际贸易', '物资', '五金交电', '化工贸易'],
  '52': ['百货', '超市', '商业', '连锁超市', '石油销售', '便利店'],
  '53': ['铁路物流'], '54': ['运输', '物流', '货运', '汽车运输', '危险品运输', '客运'], '55': ['航运', '船务', '海运'],
  '56': ['航空服务', '航空货运'], '57': ['管道运输'], '58': ['国际货运代理', '物流', '供应链管理'],
  '59': ['仓储', '仓储物流', '冷链物流', '码头装卸'], '60': ['快递', '速递'],
  '61': ['酒店管理', '宾馆', '酒店'], '62': ['餐饮管理', '餐饮', '饮食服务', '餐饮连锁'],
  '70': ['物业管理', '置业'], '71': ['租赁'], '72': ['会展服务', '企业管理', '保安服务', '人力资源'],
  '73': ['科技'], '74': ['检测技术', '工程技术', '环境检测'], '75': ['科技发展'],
  '76': ['水利工程'], '77': ['环境工程', '环保工程'], '78': ['市容环境', '园林绿化'],
  '80': ['家政服务', '清洁服务', '洗染'], '81': ['汽车维修', '汽车服务', '机动车维修'], '82': ['服务'],
  '83': ['教育科技', '职业培训'], '84': ['医疗管理'], '85': ['养老服务'],
  '86': ['文化传媒'], '87': ['影视'], '88': ['文化艺术'], '89': ['体育发展', '健身'], '90': ['文化娱乐', '游乐', '休闲娱乐'],
};
const SECTION_WORDS: Record<string, string> = {
  A: '农业', B: '矿业', C: '实业', D: '能源', E: '建设工程', F: '商贸', G: '物流', H: '餐饮管理', I: '信息技术',
  J: '投资管理', K: '置业', L: '企业管理', M: '科技', N: '环境工程', O: '服务', P: '教育科技', Q: '医疗管理',
  R: '文化传播',
};

// ───────────────────────────── helpers ─────────────────────────────

const USCC_BODY_SPACE = 31 ** 6; // 887 503 681 > DEMO_MAX_COUNT
const USCC_MUL = 3_999_971; // not a multiple of 31 → x ↦ x·MUL + ADD is a bijection mod 31^6 (and x·MUL < 2^53)
const USCC_ADD = 123_456_789;

/**
 * 主体标识码 in the style of post-2015 Shanghai registrations: 'MA1' + 6 characters. The 6
 * characters are a bijective scramble of the index (an affine map mod 31^6, then each base-31
 * digit offset by the previous output digit), so every index gets a distinct code.
 */
function usccFor(districtCode: string, index: number): string {
  let x = (index * USCC_MUL + USCC_ADD) % USCC_BODY_SPACE;
  let body = '';
  let prev = 0;
  for (let k = 0; k < 6; k++) {
    const digit = (x % 31 + prev * 7 + 11) % 31;
    body = USCC_ALPHABET[digit] + body;
    prev = digit;
    x = Math.floor(x / 31);
  }
  const first17 = `91${districtCode}MA1${body}`;
  return first17 + usccCheckChar(first17);
}

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function firstWord(code: string, section: string): string {
  return INDUSTRY_WORDS[code]?.[0] ?? SECTION_WORDS[section] ?? '实业';
}

// ───────────────────────────── generator ─────────────────────────────

interface PreparedDistrict {
  code: string;
  name: string;
  streets: { code9: string; name: string }[];
  /** street cumulative weights per group */
  streetCum: Float64Array[];
  industryCum: Float64Array;
  centroid: [number, number];
}

export function generateDemoEnterprises(opts: GenerateDemoEnterprisesOptions): DemoEnterprise[] {
  const { divisions, industries, count } = opts;
  const seed = opts.seed ?? DEMO_DEFAULT_SEED;
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a non-negative integer, got ${count}`);
  if (count > DEMO_MAX_COUNT) throw new Error(`count must be at most ${DEMO_MAX_COUNT}`);
  if (count === 0) return [];
  const districtsIn = divisions.districts.filter((d) => d.streets.length > 0);
  if (districtsIn.length === 0) throw new Error('divisions contain no district with streets');
  const inds = industries.filter((i) => /^\d{2}$/.test(i.code));
  if (inds.length === 0) throw new Error('industries contain no 2-digit division');

  // Industry tables.
  const indWords = inds.map((i) => INDUSTRY_WORDS[i.code] ?? [SECTION_WORDS[i.section] ?? '实业']);
  const indGroup = inds.map((i) => groupOf(i.section));
  const indRiskCum = inds.map((i) => cumulative(RISK_WEIGHTS[tierOf(i.code)]));
  const indStdCum = inds.map((i) => cumulative(STD_WEIGHTS[tierOf(i.code)]));
  const anyWeighted = inds.some((i) => (INDUSTRY_WEIGHTS[i.code] ?? 0) > 0);

  // District tables.
  const districts: PreparedDistrict[] = districtsIn.map((d) => {
    const profile = DISTRICT_PROFILES[d.code] ?? { sections: {} };
    let iw = inds.map((i) => {
      const base = anyWeighted ? (INDUSTRY_WEIGHTS[i.code] ?? 0) : 1;
      return base * (profile.sections[i.section] ?? 1) * (profile.divisions?.[i.code] ?? 1);
    });
    if (!iw.some((w) => w > 0)) iw = inds.map((i) => (anyWeighted ? (INDUSTRY_WEIGHTS[i.code] ?? 0) : 1));
    const kinds = d.streets.map(streetKind);
    const streetCum = ([0, 1, 2, 3] as Group[]).map((g) => cumulative(kinds.map((k) => STREET_WEIGHTS[g][k])));
    const c = opts.centroids?.[d.code];
    return {
      code: d.code,
      name: d.name,
      streets: d.streets.map((s) => ({ code9: s.code9, name: s.name })),
      streetCum,
      industryCum: cumulative(iw),
      centroid: c ? [c[0], c[1]] : SHANGHAI_CENTRE,
    };
  });
  const districtCum = cumulative(districts.map((d) => DISTRICT_WEIGHTS[d.code] ?? DEFAULT_DISTRICT_WEIGHT));

  const rand = mulberry32(seed);
  const usedNames = new Set<string>();
  const out: DemoEnterprise[] = new Array(count);

  // ── the two fixed enterprises (independent of the seed) ──
  const specials = buildSpecials(districts, inds);
  for (const s of specials) usedNames.add(s.name);
  out[0] = specials[0];
  if (count > 1) out[1] = specials[1];

  const nTrade = TRADE_CHARS.length;
  const tradeName = (len: number): string => {
    let s = '';
    let prev = -1;
    for (let k = 0; k < len; k++) {
      let c = (rand() * nTrade) | 0;
      if (c === prev) c = (c + 1 + ((rand() * (nTrade - 1)) | 0)) % nTrade;
      s += TRADE_CHARS[c];
      prev = c;
    }
    return s;
  };
  const personName = (): string => {
    const sur = SURNAMES[(rand() * SURNAMES.length) | 0];
    const g1 = GIVEN_CHARS[(rand() * GIVEN_CHARS.length) | 0];
    if (rand() < 0.3) return sur + g1;
    return sur + g1 + GIVEN_CHARS[(rand() * GIVEN_CHARS.length) | 0];
  };
  const mobile = (): string => `13${(rand() * 10) | 0}${pad((rand() * 1e8) | 0, 8)}`;
  const landline = (): string => `021-${2 + ((rand() * 5) | 0)}${pad((rand() * 1e7) | 0, 7)}`;

  for (let i = 2; i < count; i++) {
    // District: the first 16 generated ones cover every district once, then weighted.
    const di = i - 2 < districts.length ? i - 2 : pick(districtCum, rand());
    const d = districts[di];
    const ii = pick(d.industryCum, rand());
    const ind = inds[ii];
    const si = pick(d.streetCum[indGroup[ii]], rand());
    const street = d.streets[si];

    // Name: 上海 + 字号 + industry word + 有限公司, unique; on collision redraw, growing the 字号.
    const words = indWords[ii];
    const word = words[(rand() * words.length) | 0];
    const suffix = rand() < 0.03 ? '股份有限公司' : '有限公司';
    let name = '';
    for (let attempt = 0; ; attempt++) {
      const len = attempt < 6 ? (rand() < 0.65 ? 2 : 3) : attempt < 20 ? 3 : 4 + Math.floor((attempt - 20) / 20);
      name = `上海${tradeName(len)}${word}${suffix}`;
      if (!usedNames.has(name)) break;
    }
    usedNames.add(name);

    // Address: 上海市 + district + street + road + number.
    const stem = ROAD_STEMS[(rand() * ROAD_STEMS.length) | 0];
    const dir = ROAD_DIRS[(rand() * ROAD_DIRS.length) | 0];
    const rs = rand();
    const roadSuffix = rs < 0.8 ? '路' : rs < 0.88 ? '公路' : rs < 0.92 ? '大道' : rs < 0.96 ? '街' : '支路';
    const r = rand();
    const num = 1 + Math.floor(r * r * 1999);
    const lane = rand() < 0.25 ? `${num}弄${1 + ((rand() * 30) | 0)}号` : `${num}号`;
    const address = `上海市${d.name}${street.name}${stem}${dir}${roadSuffix}${lane}`;

    const principalName = personName();
    const principalPhone = rand() < 0.85 ? mobile() : landline();
    const safetyManagerName = personName();
    const safetyManagerPhone = rand() < 0.5 ? mobile() : landline();

    const riskClass = RISK_CLASSES[pick(indRiskCum[ii], rand())];
    const standardizationLevel = STD_LEVELS[pick(indStdCum[ii], rand())];

    const lng = round6(d.centroid[0] + (rand() * 2 - 1) * JITTER);
    const lat = round6(d.centroid[1] + (rand() * 2 - 1) * JITTER);

    out[i] = {
      key: `ent-${pad(i, 6)}`,
      uscc: usccFor(d.code, i),
      name,
      address,
      districtCode: d.code,
      streetCode: street.code9,
      industryCode: ind.code,
      principalName,
      principalPhone,
      safetyManagerName,
      safetyManagerPhone,
      riskClass,
      standardizationLevel,
      lng,
      lat,
    };
  }
  return out;
}

/** Enterprises 0 (浦东新区 陆家嘴街道, manufacturing) and 1 (黄浦区, trade): fixed, seed-independent. */
function buildSpecials(districts: PreparedDistrict[], inds: DemoIndustryDivision[]): [DemoEnterprise, DemoEnterprise] {
  const findDistrict = (code: string) => districts.find((d) => d.code === code) ?? districts[0];
  const findIndustry = (pref: readonly string[], section: string) =>
    pref.map((c) => inds.find((i) => i.code === c)).find((i) => i !== undefined) ??
    inds.find((i) => i.section === section) ??
    inds[0];

  const pd = findDistrict(DEMO_SPECIAL.pudong.districtCode);
  const pdStreet = pd.streets.find((s) => s.code9 === DEMO_SPECIAL.pudong.streetCode) ?? pd.streets[0];
  const pdInd = findIndustry(DEMO_SPECIAL.pudong.industryPreference, 'C');

  const hp = findDistrict(DEMO_SPECIAL.huangpu.districtCode);
  const hpStreet = hp.streets.find((s) => s.name === DEMO_SPECIAL.huangpu.streetName) ?? hp.streets[0];
  const hpInd = findIndustry(DEMO_SPECIAL.huangpu.industryPreference, 'F');

  const at = (d: PreparedDistrict, dLng: number, dLat: number) => ({
    lng: round6(d.centroid[0] + dLng),
    lat: round6(d.centroid[1] + dLat),
  });

  return [
    {
      key: `ent-${pad(0, 6)}`,
      uscc: usccFor(pd.code, 0),
      name: `上海陆泰${firstWord(pdInd.code, pdInd.section)}有限公司`,
      address: `上海市${pd.name}${pdStreet.name}浦明路88号`,
      districtCode: pd.code,
      streetCode: pdStreet.code9,
      industryCode: pdInd.code,
      principalName: '陆建国',
      principalPhone: '13800000001',
      safetyManagerName: '王立新',
      safetyManagerPhone: '021-50000001',
      riskClass: 'high',
      standardizationLevel: 'level3',
      // towards 陆家嘴 (west of the 浦东 centroid), inside the ±0.03 jitter box
      ...at(pd, -0.03, -0.005),
    },
    {
      key: `ent-${pad(1, 6)}`,
      uscc: usccFor(hp.code, 1),
      name: `上海淮申${firstWord(hpInd.code, hpInd.section)}有限公司`,
      address: `上海市${hp.name}${hpStreet.name}福州路188号`,
      districtCode: hp.code,
      streetCode: hpStreet.code9,
      industryCode: hpInd.code,
      principalName: '沈丽华',
      principalPhone: '13800000002',
      safetyManagerName: '顾晓东',
      safetyManagerPhone: '021-63000002',
      riskClass: 'general',
      standardizationLevel: 'none',
      ...at(hp, 0, 0),
    },
  ];
}

// ───────────────────────────── departments ─────────────────────────────

/**
 * A small, plausible set of supervising departments (管行业必须管安全). Synthetic demo data: the
 * names are those of real Shanghai bodies, but the industry assignments are a simplification
 * for the demo and are not an official division of responsibilities.
 */
const CITY_DEPARTMENTS: DemoDepartment[] = [
  // The demo account `yjj` "supervises manufacturing and trade": exactly C and F.
  { key: 'yjj', name: '市应急管理局', regionCode: '310000', industryCodes: ['C', 'F'] },
  { key: 'jxw', name: '市经济信息化委', regionCode: '310000', industryCodes: ['C', '44'] },
  { key: 'zjw', name: '市住房城乡建设管理委', regionCode: '310000', industryCodes: ['E', '45'] },
  { key: 'jtw', name: '市交通委', regionCode: '310000', industryCodes: ['G'] },
  { key: 'sww', name: '市商务委', regionCode: '310000', industryCodes: ['F', 'H'] },
  { key: 'nyw', name: '市农业农村委', regionCode: '310000', industryCodes: ['A'] },
  { key: 'swj', name: '市水务局', regionCode: '310000', industryCodes: ['46', '76'] },
  { key: 'lhj', name: '市绿化市容局', regionCode: '310000', industryCodes: ['78'] },
  { key: 'whj', name: '市文化旅游局', regionCode: '310000', industryCodes: ['R'] },
  { key: 'ghj', name: '市规划资源局', regionCode: '310000', industryCodes: ['B'] },
];

/** City departments plus one 应急管理局 per district (key `yjj-<district code>`, supervising C and F). */
export function demoDepartments(divisions: DemoDivisions): DemoDepartment[] {
  const city = CITY_DEPARTMENTS.map((d) => ({ ...d, industryCodes: [...d.industryCodes] }));
  const district = divisions.districts.map((d) => ({
    key: `yjj-${d.code}`,
    name: `${d.name}应急管理局`,
    regionCode: d.code,
    industryCodes: ['C', 'F'],
  }));
  return [...city, ...district];
}

// ───────────────────────────── reference-data adapters ─────────────────────────────

/** Flattens reference/industry-gbt4754.json (`sections[].divisions[]`) into division rows. */
export function flattenIndustryReference(ref: {
  sections: { code: string; divisions: { code: string; name: string }[] }[];
}): DemoIndustryDivision[] {
  return ref.sections.flatMap((s) => s.divisions.map((d) => ({ code: d.code, name: d.name, section: s.code })));
}

/** Reads district centroids (`properties.cp`) from reference/shanghai-districts.geojson; features without one are skipped. */
export function centroidsFromGeojson(geo: {
  features: { properties: { code?: string; cp?: number[] } }[];
}): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const f of geo.features) {
    const { code, cp } = f.properties;
    if (code && Array.isArray(cp) && cp.length >= 2) out[code] = [cp[0], cp[1]];
  }
  return out;
}
