import { loadConfig } from '../lib/config.js';
import type { Deps } from '../lib/deps.js';
import { FakeDingTalk, FakeEventStore, FakeProjectStore, FakeQueue, FakeUserStore, fixedClock, silentLog } from './fakes.js';
import { TEST_SECRET } from './http-events.js';

/** The composition root's shape, built from fakes: what handler tests pass to the `createXHandler` factories. */
export function fakeDeps(env: Record<string, string> = {}) {
  const deps = {
    config: loadConfig({
      STAGE: 'test',
      USERS_TABLE: 'users',
      PROJECTS_TABLE: 'projects',
      EVENTS_TABLE: 'events',
      EVENTS_QUEUE_URL: 'https://sqs.example/queue',
      ...env,
    }),
    users: new FakeUserStore(),
    projects: new FakeProjectStore(),
    events: new FakeEventStore(),
    queue: new FakeQueue(),
    dingtalk: new FakeDingTalk(),
    clock: fixedClock(),
    log: silentLog,
    signingSecrets: async () => ['old-secret', TEST_SECRET],
  } satisfies Deps;
  return deps;
}
