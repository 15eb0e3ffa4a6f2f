import { ProjectsDashboard } from '@/components/dashboard/ProjectsDashboard';

export default function DashboardPage() {
  return <ProjectsDashboard />;
}
