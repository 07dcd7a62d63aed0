// The dashboard: a React single-page app built into dist/dashboard, which the server serves at `/`.
// `npx vite --config apps/dashboard/vite.config.ts` runs it in development against a server on :3000.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const api = process.env.LEADLINE_DEV_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    alias: {
      '@leadline/contracts': here('../../libs/contracts/src'),
      '@leadline/domain': here('../../libs/domain/src'),
      // The browser-safe entry only (encoders, fleet): '@leadline/busylight/node' is for Node.
      '@leadline/busylight': here('../../libs/busylight/src'),
    },
  },
  build: { outDir: here('../../dist/dashboard'), emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1000 },
  server: { proxy: { '/api': api, '/socket.io': { target: api, ws: true } } },
});
