/** The tips module's office strings (#17), zh first; i18n.ts spreads them into its dictionaries. */
export const tipZh = {
  'nav.tips': '举报奖励',
};
export const tipEn: Record<keyof typeof tipZh, string> = {
  'nav.tips': 'Tips',
};
