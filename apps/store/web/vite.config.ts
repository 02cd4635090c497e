import { fileURLToPath } from 'node:url';
import { precompressedAssets } from '@native-login/session-login/vite';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Built into ../dist/web, which the backend serves; `npm run dev` serves it here and sends /api on.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue(), precompressedAssets()],
  build: { outDir: fileURLToPath(new URL('../dist/web', import.meta.url)), emptyOutDir: true },
  server: { port: 3000, strictPort: true, proxy: { '/api': process.env['STORE_API_URL'] ?? 'http://127.0.0.1:3100' } },
});
