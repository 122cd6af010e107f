/**
 * Which articles of a judgement standard state no hazard condition: the purpose (为…制定本标准),
 * the scope (本标准适用于…), definitions (本标准所称…是指), who uses it (…可依照本标准…), how it is
 * divided (…分为…方面), when it takes effect (自…起施行) — and the lead-in sentences of a list
 * (…有下列情形之一的). Such an article is never suggested and never cited as the basis of a hazard.
 */
const LEAD_IN_PATTERNS: readonly RegExp[] = [
  /^为(了)?[^。]*制定本(标准|规定|办法|判定标准)/,
  /^本(标准|规定|办法|判定标准)适用于/,
  /^本(标准|规定|办法|判定标准)(所称|中的)[^。]*是指/,
  /可(以)?依照本(标准|规定|办法)/,
  /^[^。]{0,40}分为[^。]*(方面|类)。?$/,
  /自\d{4}年\d{1,2}月\d{1,2}日起施行/,
  /(有|存在)下列情形之一的[，,]?[^。]*[：:]$/,
  /以下情形应当判定为重大事故隐患[：:]$/,
];

export function isLeadInText(text: string): boolean {
  const t = text.trim();
  return LEAD_IN_PATTERNS.some((p) => p.test(t));
}
