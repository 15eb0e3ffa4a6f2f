import { TokensPanel } from '@/components/settings/TokensPanel';

export default function TokensPage() {
  return <TokensPanel />;
}
