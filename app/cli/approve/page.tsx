import type { Metadata } from 'next';
import { CliApprovePanel } from '@/components/cli/CliApprovePanel';

export const metadata: Metadata = { title: 'Sign in the command line · Berth' };
export const dynamic = 'force-dynamic';

export default async function CliApprovePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { code } = await searchParams;
  return <CliApprovePanel initialCode={code ?? ''} />;
}
