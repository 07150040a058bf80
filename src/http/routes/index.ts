import type { RouteModule } from '../app.js';

/** Every route module, registered in this order. Add a module here to serve it. */
export const ROUTES: RouteModule[] = [];
