import type { Metadata } from 'next';
import { AdminPanel } from '@/components/admin/AdminPanel';

export const metadata: Metadata = { title: 'Admin · Berth' };

// Reached only by admins: the page gate (server/pages/page-gate.ts) answers 404 to everyone else.
export default function AdminPage() {
  return <AdminPanel />;
}
