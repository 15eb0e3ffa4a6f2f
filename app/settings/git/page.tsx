import type { Metadata } from 'next';
import { GitSettingsPanel } from '@/components/settings/GitSettingsPanel';

export const metadata: Metadata = { title: 'Git · Berth' };

export default function GitSettingsPage() {
  return <GitSettingsPanel />;
}
