import type { RouteModule } from '../kit.js';
import { applicationRoutes } from './applications.js';
import { cardRoutes } from './cards.js';
import { certificateRoutes } from './certificates.js';
import { consoleRoutes } from './console.js';
import { documentRoutes } from './documents.js';
import { fhirRoutes } from './fhir.js';
import { legacyCardRoutes } from './legacy-cards.js';
import { oqsRoutes } from './oqs.js';
import { paperCertificateRoutes } from './paper-certificates.js';
import { portalSessionRoutes } from './portal-session.js';
import { registryRoutes } from './registry.js';
import { verificationRoutes } from './verification.js';
import { webRoutes } from './web.js';

/** Every route module, registered in this order. Add a module here to serve it. */
export const ROUTES: RouteModule[] = [
  cardRoutes,
  registryRoutes,
  legacyCardRoutes,
  verificationRoutes,
  certificateRoutes,
  applicationRoutes,
  documentRoutes,
  paperCertificateRoutes,
  fhirRoutes,
  oqsRoutes,
  portalSessionRoutes,
  consoleRoutes,
  // Last: the screens at / (web/dist), with the SPA's paths.
  webRoutes(),
];
