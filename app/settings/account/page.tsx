import type { Metadata } from 'next';
import { AccountPanel } from '@/components/settings/AccountPanel';

export const metadata: Metadata = { title: 'Account · Berth' };

export default function AccountPage() {
  return <AccountPanel />;
}
