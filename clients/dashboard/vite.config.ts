import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';

/** The dashboard builds to dist/, which the server serves at `/`. */
export default defineConfig({
  plugins: [solid()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, reportCompressedSize: true },
  server: { proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true } } },
  test: {
    environment: 'jsdom',
    setupFiles: ['./test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
