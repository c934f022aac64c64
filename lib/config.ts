import * as z from 'zod';
import { LocaleSchema } from './core/ids.js';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * Every setting, parsed once per cold start. `serverless.yml` sets these for each function; locally every one
 * has a development default there, overridable from the environment (contract §7).
 */
const EnvSchema = z.object({
  STAGE: z.string().min(1),
  USERS_TABLE: z.string().min(1),
  PROJECTS_TABLE: z.string().min(1),
  EVENTS_TABLE: z.string().min(1),
  EVENTS_QUEUE_URL: z.string().min(1),
  /** Deployed stages: the SSM path holding the secrets; when set, the secret variables below are ignored. */
  SECRETS_SSM_PATH: z.string().default(''),
  SIGNING_SECRETS: z.string().default(''),
  DINGTALK_APP_KEY: z.string().default(''),
  DINGTALK_APP_SECRET: z.string().default(''),
  DINGTALK_AGENT_ID: z.string().default(''),
  DINGTALK_API_URL: z.url().default('https://oapi.dingtalk.com'),
  DINGTALK_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  DINGTALK_MAX_CALLS_PER_SECOND: z.coerce.number().positive().max(20).default(10),
  DINGTALK_TRANSIENT_RETRIES: z.coerce.number().int().min(0).max(3).default(2),
  DINGTALK_RETRY_DELAY_MS: z.coerce.number().int().min(0).default(1000),
  DINGTALK_RECHECK_SECONDS: z.coerce.number().int().min(0).default(3600),
  DEFAULT_PHONE_REGION: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter region such as VN').default('VN'),
  DEFAULT_LOCALE: LocaleSchema.default('vi'),
  ALLOW_HTTP_TICKET_URLS: flag.default(false),
  EVENT_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
  /** Must equal the queue's redrive `maxReceiveCount`: the last receive records the event as failed. */
  MAX_RECEIVE_COUNT: z.coerce.number().int().positive().default(12),
  /** How long a worker holds an event it is processing: more than the worker's timeout in serverless.yml (60 s). */
  EVENT_LEASE_SECONDS: z.coerce.number().int().positive().default(90),
  /** First retry delay of a failed event; it doubles with each receive, up to 15 minutes. */
  RETRY_BASE_SECONDS: z.coerce.number().int().min(0).default(30),
});

export type Config = z.infer<typeof EnvSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}
