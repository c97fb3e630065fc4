import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vitest/config';

/** The whole built file, graphql-ws included, gzipped, may not exceed this (test/size.test.ts checks it too). */
export const sizeBudget = 15 * 1024;

/** Prints dist/widget.js's size and gzip size after every build, against the budget. */
function reportSize(): Plugin {
  return {
    name: 'widget-size',
    apply: 'build',
    closeBundle() {
      const file = resolve(import.meta.dirname, 'dist/widget.js');
      const code = readFileSync(file);
      const gzip = gzipSync(code, { level: 9 }).length;
      const verdict = gzip <= sizeBudget ? 'within' : 'OVER';
      console.log(`dist/widget.js: ${code.length} bytes, ${gzip} bytes gzip (${verdict} the ${sizeBudget}-byte budget)`);
    },
  };
}

/**
 * Library mode: one self-contained, minified IIFE (dist/widget.js) that the server serves at
 * /widget.js; no chunks, no imports at runtime, no CSS file (styles live in the shadow root).
 */
export default defineConfig({
  plugins: [reportSize()],
  // graphql-ws's package entry also exports its server, which imports graphql: take the client only
  resolve: { alias: { 'graphql-ws': 'graphql-ws/client' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    lib: {
      entry: resolve(import.meta.dirname, 'src/main.ts'),
      formats: ['iife'],
      name: 'LiveChatWidget',
      fileName: () => 'widget.js',
    },
    rolldownOptions: { output: { codeSplitting: false } },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
