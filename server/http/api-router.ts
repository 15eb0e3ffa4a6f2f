// Builds the /api/v1 router from its resources.
import type { RequestAuthenticator, SignInThrottle, TokenService, UserService } from '../auth';
import type { ProjectService } from '../projects';
import { addAuthRoutes } from './auth.routes';
import { addProjectRoutes } from './projects.routes';
import { Router } from './router';
import { addTokenRoutes } from './tokens.routes';

export interface ApiServices {
  authenticator: RequestAuthenticator;
  users: UserService;
  tokens: TokenService;
  projects: ProjectService;
  signupThrottle: SignInThrottle;
  allowSignup: boolean;
}

export function createApiRouter(services: ApiServices): Router {
  const router = new Router(services.authenticator);
  addAuthRoutes(router, services.users, { allowSignup: services.allowSignup, signupThrottle: services.signupThrottle });
  addTokenRoutes(router, services.tokens);
  addProjectRoutes(router, services.projects);
  return router;
}
