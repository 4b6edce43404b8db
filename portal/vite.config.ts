import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The build goes where Quarkus serves static files from a jar: the gateway depends on this module.
// `npm run dev` proxies the API to a platform started with `make run`.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'target/classes/META-INF/resources',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/v1': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
