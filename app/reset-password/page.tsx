import { AuthCard } from '@/components/auth/AuthCard';
import { ResetPasswordForm } from '@/components/auth/ResetPasswordForm';

export const dynamic = 'force-dynamic';

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { token } = await searchParams;
  return (
    <AuthCard title="Choose a new password" subtitle="Every browser signed in to the account is signed out.">
      <ResetPasswordForm token={token} />
    </AuthCard>
  );
}
