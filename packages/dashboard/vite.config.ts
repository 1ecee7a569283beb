import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// In development the API and sockets live on the server (port 5000); Vite proxies to it so the
// refresh cookie stays same-origin, exactly as when the server serves the build itself.
const server = process.env.PARLEY_SERVER ?? 'http://localhost:5000';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: {
    proxy: {
      '/api': server,
      '/socket.io': { target: server, ws: true },
      '/widget': server,
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    // Inline assets would need `data:` sources in the CSP; files keep it strict.
    assetsInlineLimit: 0,
  },
});
