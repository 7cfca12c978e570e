/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// esbuild's automatic JSX runtime is all React needs here; no React plugin (fast refresh is not worth a
// dependency for an admin console).
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic' },
  server: { port: 1420, strictPort: true, host: '127.0.0.1' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // Radix ships React Server Components' "use client" markers; they mean nothing in a desktop web view.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
  },
});
