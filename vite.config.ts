import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

// Vendor chunks. React and the router are needed by every route. antd is split in three so the
// sign-in page loads only what it shows (form, input, button, card, alert, result, spin and the
// App/ConfigProvider core, one shared chunk):
//  - antd-data: the data components (tables, pickers, trees, selects, tags, descriptions);
//  - antd-app: the shell's and the pages' own (menu, layout, drawer, dropdown, badge, avatar,
//    upload, image, timeline, steps, progress, statistic, switch, popover, divider, empty, flex,
//    and the lists' empty state);
// both arrive with the first signed-in page. Icons are left to the automatic splitting: the few
// antd's core draws come along with it (dependencies of a group join the group), every other one
// sits with the pages that draw it.
const ANTD_DATA =
  /node_modules[\\/](antd[\\/]es[\\/](table|date-picker|calendar|time-picker|tree|tree-select|select|auto-complete|descriptions|pagination|input-number|radio|checkbox|popconfirm|tag)[\\/]|@rc-component[\\/](table|picker|tree|tree-select|select|pagination|input-number|mini-decimal|virtual-list|checkbox|context)[\\/]|dayjs[\\/]plugin[\\/])/;
const ANTD_APP =
  /node_modules[\\/](antd[\\/]es[\\/](menu|layout|drawer|dropdown|badge|avatar|upload|image|timeline|steps|progress|statistic|switch|popover|divider|empty|flex)[\\/]|antd[\\/]es[\\/]config-provider[\\/]defaultRenderEmpty|@rc-component[\\/](drawer|upload|image|steps|progress|switch)[\\/])/;
// Tiny modules the sign-in core imports from those directories: picker locales (ConfigProvider),
// a table context (Tooltip), the drawer's focus hook (Modal).
const SIGN_IN_NEEDS = /[\\/]locale[\\/]|TableMeasureRowContext|drawer[\\/]useFocusable/;
const ICONS = /@ant-design[\\/](icons[\\/]es[\\/]icons|icons-svg)[\\/]/;
const vendorGroups = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|cookie|set-cookie-parser)[\\/]/, priority: 30 },
  {
    name: 'antd-data',
    test: (id: string) => ANTD_DATA.test(id) && !SIGN_IN_NEEDS.test(id),
    priority: 25,
    includeDependenciesRecursively: false,
  },
  {
    name: 'antd-app',
    test: (id: string) => ANTD_APP.test(id) && !SIGN_IN_NEEDS.test(id),
    priority: 24,
    includeDependenciesRecursively: false,
  },
  {
    name: 'antd',
    test: (id: string) =>
      /node_modules[\\/](antd|@ant-design|@rc-component|@babel[\\/]runtime|clsx|dayjs|@emotion|stylis|throttle-debounce|scroll-into-view-if-needed|compute-scroll-into-view|json2mq|string-convert|toggle-selection|copy-to-clipboard)[\\/]/.test(id) &&
      !ICONS.test(id),
    priority: 20,
  },
  { name: 'zod', test: /node_modules[\\/]zod[\\/]/, priority: 10 },
  // Charts, which only the cockpit draws: ECharts and zrender (the renderer beneath it), apart from
  // our code so that a release of it leaves them cached, and apart from each other to stay under
  // the size limit.
  { name: 'echarts', test: /node_modules[\\/]echarts[\\/]/, priority: 10, includeDependenciesRecursively: false },
  { name: 'zrender', test: /node_modules[\\/]zrender[\\/]/, priority: 10 },
];

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    // The sign-in antd chunk (~550 kB, 180 kB gzipped) is large by nature, but loaded once and cached
    // across releases of our code; the limit sits just above it so that growth is noticed.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: vendorGroups },
      },
    },
  },
  server: {
    proxy: {
      // '/api/' with the slash: a bare '/api' prefix would also swallow our own /api.ts module.
      // ZHIBEN_API_URL points the dev server at an API on another port.
      '/api/': { target: process.env.ZHIBEN_API_URL ?? 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
});
