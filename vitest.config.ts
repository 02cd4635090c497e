import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

/**
 * The SPAs' component and store tests (`npm run test:web`): Vitest in a happy-dom page, the .vue
 * files compiled as the SPAs' Vite builds compile them, the backend answered by msw
 * (test/web/fake-backend.ts). The backend's own tests are tap's (`*.test.ts`); these are `*.spec.ts`.
 */
export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['packages/login-ui/test/**/*.spec.ts', 'apps/*/web/test/**/*.spec.ts'],
    environment: 'happy-dom',
    setupFiles: ['test/web/setup.ts'],
    // Spies (on `window.location.assign`, say) are undone after each test.
    restoreMocks: true,
  },
});
