import { loadPublicDeps } from '../lib/http/public-deps.js';
import { notFound } from '../lib/http/errors.js';
import { httpRoute, type EdgeDeps } from '../lib/http/route.js';

/** API Gateway's catch-all route: an unknown route is `404 not_found`, signed or not. */
export const createNotFoundHandler = (getDeps: () => Promise<EdgeDeps>) =>
  httpRoute(getDeps, { signed: false }, async () => {
    throw notFound();
  });

export const handler = createNotFoundHandler(loadPublicDeps);
