// Builds the /api/v1 router from its resources.
import type { RequestAuthenticator } from '../auth/request-auth';
import type { SignInThrottle } from '../auth/signin-throttle';
import type { TokenService } from '../auth/token-service';
import type { UserService } from '../auth/user-service';
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
