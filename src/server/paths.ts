/**
 * The project's root folder (package.json, reference/, dist/), for the server to find the files it
 * ships with. Resolve them from here, not from a module's own location: compiled, every module is
 * bundled into dist/server/*.js, and only a file directly in src/server/ — two levels below the
 * root, as dist/server/ is — finds the same root from either place (scripts/build-server.mjs
 * refuses `import.meta` paths elsewhere).
 */
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
