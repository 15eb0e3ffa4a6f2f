import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// 0.0.0.0 so Berth's preview can reach the dev server from outside the container.
export default defineConfig({
  plugins: [react()],
  server: { host: '0.0.0.0', port: 5173, allowedHosts: true },
});
