import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

/**
 * The web application: built into dist/web, which the API serves at `/` (apps/api/src/web/web-app.module.ts).
 * `@contracts` is libs/contracts/src: the process kinds' zod schemas validate forms with the server's own messages;
 * `@app/domain` is the policy library's own date and money helpers.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  resolve: { alias: { '@contracts': here('../../libs/contracts/src'), '@app/domain': here('../../libs/domain/src') } },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    // The route chunks are what the first load pays for; the size check is test/browser/bundle-size.test.ts.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // antd's "use client" markers mean nothing outside React Server Components.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
