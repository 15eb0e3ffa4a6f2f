// REST contract for projects: shared by the server (parsing) and the client (types).
import { z } from 'zod';

export const TEMPLATES = [
  { id: 'blank-node', label: 'Blank Node', description: 'An empty Node.js project with a package.json' },
  { id: 'vite-react', label: 'Vite + React', description: 'React with Vite dev server and hot reload' },
  { id: 'express-api', label: 'Express API', description: 'A JSON API with Express' },
  { id: 'static-html', label: 'Static HTML', description: 'HTML, CSS and JavaScript, no build step' },
  { id: 'nextjs', label: 'Next.js', description: 'Next.js App Router with React and fast refresh' },
] as const;

export type TemplateId = (typeof TEMPLATES)[number]['id'];
const templateIds = TEMPLATES.map((template) => template.id) as [TemplateId, ...TemplateId[]];

export const projectNameSchema = z
  .string({ error: 'Name is required' })
  .trim()
  .min(1, 'Name must not be empty')
  .max(64, 'Name must be at most 64 characters');

export const createProjectSchema = z.object({
  name: projectNameSchema,
  template: z.enum(templateIds, { error: `Template must be one of: ${templateIds.join(', ')}` }),
});
export type CreateProjectInput = z.infer<typeof createProjectSchema>;

export const updateProjectSchema = z.object({ name: projectNameSchema });
export type UpdateProjectInput = z.infer<typeof updateProjectSchema>;

export interface ProjectDto {
  id: string;
  name: string;
  template: TemplateId;
  createdAt: string;
  updatedAt: string;
  lastOpenedAt: string | null;
}
