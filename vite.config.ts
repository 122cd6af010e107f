import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

// Vendor chunks. React and the router are needed by every route. antd is split in two so the
// sign-in page does not wait for the data components (tables, pickers, trees, selects) only the
// signed-in pages use; everything else of antd (form, button, layout, feedback) is one shared chunk.
const ANTD_DATA =
  /node_modules[\\/](antd[\\/]es[\\/](table|date-picker|calendar|time-picker|tree|tree-select|select|auto-complete|descriptions|pagination|input-number|radio|checkbox|popconfirm|tag)[\\/]|@rc-component[\\/](table|picker|tree|tree-select|select|pagination|input-number|virtual-list|checkbox)[\\/])/;
const vendorGroups = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|cookie|set-cookie-parser)[\\/]/, priority: 30 },
  // Exceptions are tiny modules the core imports: picker locales (ConfigProvider) and a table context (Tooltip).
  {
    name: 'antd-data',
    test: (id: string) => ANTD_DATA.test(id) && !/[\\/]locale[\\/]|TableMeasureRowContext/.test(id),
    priority: 25,
    includeDependenciesRecursively: false,
  },
  { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|@babel[\\/]runtime|clsx|dayjs|@emotion|stylis|throttle-debounce|scroll-into-view-if-needed|compute-scroll-into-view|json2mq|string-convert|toggle-selection|copy-to-clipboard)[\\/]/, priority: 20 },
  { name: 'zod', test: /node_modules[\\/]zod[\\/]/, priority: 10 },
];

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    // The shared antd chunk is large by nature, but loaded once and cached across releases of our code.
    chunkSizeWarningLimit: 800,
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
