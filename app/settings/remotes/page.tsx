import type { Metadata } from 'next';
import { RemotesPanel } from '@/components/sync/RemotesPanel';

export const metadata: Metadata = { title: 'Remotes · Berth' };

export default function RemotesSettingsPage() {
  return <RemotesPanel />;
}
