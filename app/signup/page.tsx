import { AuthCard } from '@/components/auth/AuthCard';
import { SignUpForm } from '@/components/auth/SignUpForm';

export default function SignUpPage() {
  return (
    <AuthCard title="Create your account" subtitle="One container per project, on your own server.">
      <SignUpForm />
    </AuthCard>
  );
}
