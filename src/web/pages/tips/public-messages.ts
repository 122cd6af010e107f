/** The public tip page's strings (#17), zh first; i18n.ts spreads them into its dictionaries. */
export const tipPubZh = {
  'tip.pub.title': '安全生产举报',
};
export const tipPubEn: Record<keyof typeof tipPubZh, string> = {
  'tip.pub.title': 'Report a safety problem',
};
