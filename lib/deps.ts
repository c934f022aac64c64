import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DingTalkClient } from './adapters/dingtalk-client.js';
import { createDocumentClient } from './adapters/dynamodb.js';
import { DynamoEventStore } from './adapters/event-store.js';
import { DynamoProjectStore } from './adapters/project-store.js';
import { SqsEventQueue } from './adapters/sqs-event-queue.js';
import { DynamoUserStore } from './adapters/user-store.js';
import { loadConfig, type Config } from './config.js';
import type { Clock, DingTalk, EventQueue, EventStore, Log, ProjectStore, UserStore } from './core/ports.js';
import { logger } from './logger.js';
import { loadSecrets } from './secrets.js';

/** Everything a handler needs, built once per cold start; tests build their own with fakes. */
export interface Deps {
  config: Config;
  users: UserStore;
  projects: ProjectStore;
  events: EventStore;
  queue: EventQueue;
  dingtalk: DingTalk;
  clock: Clock;
  log: Log;
  /** Current signing secrets (several during a rotation); cached, never fetched per request. */
  signingSecrets: () => Promise<string[]>;
}

let cached: Promise<Deps> | undefined;

/** The composition root: the real adapters, configured from the environment. */
export function loadDeps(): Promise<Deps> {
  cached ??= buildDeps().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function buildDeps(): Promise<Deps> {
  const config = loadConfig();
  const secrets = await loadSecrets(config);
  const db: DynamoDBDocumentClient = createDocumentClient();
  return {
    config,
    users: new DynamoUserStore(db, config.USERS_TABLE),
    projects: new DynamoProjectStore(db, config.PROJECTS_TABLE),
    events: new DynamoEventStore(db, config.EVENTS_TABLE, config.EVENT_RETENTION_DAYS),
    queue: new SqsEventQueue(new SQSClient({}), config.EVENTS_QUEUE_URL),
    dingtalk: new DingTalkClient({
      baseUrl: config.DINGTALK_API_URL,
      appKey: secrets.dingtalkAppKey,
      appSecret: secrets.dingtalkAppSecret,
      agentId: secrets.dingtalkAgentId,
      timeoutMs: config.DINGTALK_TIMEOUT_MS,
      maxCallsPerSecond: config.DINGTALK_MAX_CALLS_PER_SECOND,
      transientRetries: config.DINGTALK_TRANSIENT_RETRIES,
      retryDelayMs: config.DINGTALK_RETRY_DELAY_MS,
      log: logger,
    }),
    clock: () => new Date(),
    log: logger,
    signingSecrets: async () => (await loadSecrets(config)).signingSecrets,
  };
}
