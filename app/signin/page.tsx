import { AuthCard } from '@/components/auth/AuthCard';
import { SignInForm } from '@/components/auth/SignInForm';

export const dynamic = 'force-dynamic';

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { callbackUrl, error } = await searchParams;
  return (
    <AuthCard title="Sign in" subtitle="Welcome back to your workspaces.">
      <SignInForm callbackUrl={callbackUrl} initialError={error} />
    </AuthCard>
  );
}
