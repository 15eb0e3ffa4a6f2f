import type { Metadata } from 'next';
import { CliApprovePanel } from '@/components/cli/CliApprovePanel';

export const metadata: Metadata = { title: 'Sign in the command line · Berth' };
export const dynamic = 'force-dynamic';

// A code in the link (?code=) is never used: the user types the one their terminal shows, so a
// link someone else sent cannot have them approve that person's terminal (device-code phishing).
export default function CliApprovePage() {
  return <CliApprovePanel />;
}
