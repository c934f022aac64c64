import { loadPublicDeps } from '../lib/http/public-deps.js';
import { buildOpenApiDocument } from '../lib/http/openapi.js';
import { httpRoute, type EdgeDeps } from '../lib/http/route.js';

export const createOpenApiHandler = (getDeps: () => Promise<EdgeDeps>) => {
  let document: unknown;
  return httpRoute(getDeps, { signed: false }, async () => {
    document ??= buildOpenApiDocument();
    return { status: 200, body: document };
  });
};

export const handler = createOpenApiHandler(loadPublicDeps);
