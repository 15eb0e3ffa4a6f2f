import type { Metadata } from 'next';
import { AiSettingsPanel } from '@/components/settings/AiSettingsPanel';

export const metadata: Metadata = { title: 'AI models · Berth' };

export default function AiSettingsPage() {
  return <AiSettingsPanel />;
}
