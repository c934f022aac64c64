import { logger } from '../logger.js';
import type { EdgeDeps } from './route.js';

/**
 * What the unsigned routes (`/health`, `/openapi.json`, the catch-all 404) need: a logger, no secrets, no
 * configuration. Kept apart from `lib/deps.ts` so their bundles do not carry the AWS clients and adapters.
 */
export const loadPublicDeps = async (): Promise<EdgeDeps> => ({ log: logger, signingSecrets: async () => [] });
