import type { RouteModule } from '../app.js';
import { cardRoutes } from './cards.js';
import { fhirRoutes } from './fhir.js';
import { registryRoutes } from './registry.js';
import { verificationRoutes } from './verification.js';

/** Every route module, registered in this order. Add a module here to serve it. */
export const ROUTES: RouteModule[] = [cardRoutes, registryRoutes, verificationRoutes, fhirRoutes];
