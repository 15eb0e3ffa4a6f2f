import Link from 'next/link';

export default function NotFound() {
  return (
    <main
      className="flex min-h-full flex-col items-center justify-center gap-3 p-8 text-center"
      data-testid="not-found"
    >
      <p className="text-5xl font-semibold text-muted">404</p>
      <h1 className="text-lg font-medium">This page or project does not exist</h1>
      <p className="text-sm text-muted">It may have been deleted, or it belongs to someone else.</p>
      <Link href="/" className="mt-2 text-sm text-accent hover:underline">
        Back to your projects
      </Link>
    </main>
  );
}
