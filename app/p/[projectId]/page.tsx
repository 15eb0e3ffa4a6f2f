import { Workbench } from '@/components/ide/Workbench';

export default async function WorkbenchPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  return <Workbench projectId={projectId} />;
}
