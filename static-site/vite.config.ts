/// <reference types="node" />
import { defineConfig } from 'vitest/config';

// The build lands where Maven packages classpath resources: the static-site jar carries it and the
// query function serves it from the same origin as the API. Relative asset paths let the same build
// run from any static host or sub-path.
export default defineConfig({
  base: './',
  build: {
    outDir: 'target/classes/agentlake-site',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  // `npm run dev`: live-reloading page against a running `agentlake serve` (or AGENTLAKE_API).
  server: {
    proxy: { '/api': process.env.AGENTLAKE_API ?? 'http://127.0.0.1:8080', '/health': process.env.AGENTLAKE_API ?? 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Vitest's 5 s default is for speed, not correctness: a loaded CI machine may need longer for the
    // tests that talk HTTP over loopback.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
