import { loadPublicDeps } from '../lib/http/public-deps.js';
import { httpRoute, type EdgeDeps } from '../lib/http/route.js';

export const createHealthHandler = (getDeps: () => Promise<EdgeDeps>) =>
  httpRoute(getDeps, { signed: false }, async () => ({ status: 200, body: { status: 'ok' } }));

export const handler = createHealthHandler(loadPublicDeps);
