import { getParametersByName } from '@aws-lambda-powertools/parameters/ssm';
import type { Config } from './config.js';

export interface Secrets {
  signingSecrets: string[];
  dingtalkAppKey: string;
  dingtalkAppSecret: string;
  dingtalkAgentId: number;
}

/** Parameter names under `SECRETS_SSM_PATH`, all SecureString. */
const PARAMETERS = {
  signingSecrets: 'signing-secrets',
  dingtalkAppKey: 'dingtalk-app-key',
  dingtalkAppSecret: 'dingtalk-app-secret',
  dingtalkAgentId: 'dingtalk-agent-id',
} as const;

/** Cached by Powertools for five minutes, so a rotated secret is picked up without a per-request call. */
const MAX_AGE_SECONDS = 300;

/**
 * Deployed stages read the secrets from SSM Parameter Store; locally they come from the environment, where
 * `serverless.yml` sets documented development values.
 */
export async function loadSecrets(config: Config): Promise<Secrets> {
  const raw = config.SECRETS_SSM_PATH ? await fromSsm(config.SECRETS_SSM_PATH) : fromEnv(config);
  const signingSecrets = raw.signingSecrets.split(',').map((s) => s.trim()).filter(Boolean);
  const dingtalkAgentId = Number(raw.dingtalkAgentId);
  if (signingSecrets.length === 0) throw new Error('Invalid configuration: no signing secret');
  if (!raw.dingtalkAppKey || !raw.dingtalkAppSecret) throw new Error('Invalid configuration: DingTalk app key and secret are required');
  if (!Number.isInteger(dingtalkAgentId) || dingtalkAgentId <= 0) throw new Error('Invalid configuration: DingTalk agent id must be a positive integer');
  return { signingSecrets, dingtalkAppKey: raw.dingtalkAppKey, dingtalkAppSecret: raw.dingtalkAppSecret, dingtalkAgentId };
}

function fromEnv(config: Config): Record<keyof Secrets, string> {
  return {
    signingSecrets: config.SIGNING_SECRETS,
    dingtalkAppKey: config.DINGTALK_APP_KEY,
    dingtalkAppSecret: config.DINGTALK_APP_SECRET,
    dingtalkAgentId: config.DINGTALK_AGENT_ID,
  };
}

async function fromSsm(path: string): Promise<Record<keyof Secrets, string>> {
  const prefix = path.endsWith('/') ? path : `${path}/`;
  const names = Object.fromEntries(Object.values(PARAMETERS).map((name) => [`${prefix}${name}`, { decrypt: true }]));
  const { _errors: errors, ...values } = await getParametersByName<string>(names, { maxAge: MAX_AGE_SECONDS, throwOnError: false });
  if (errors?.length) throw new Error(`Secrets missing from SSM: ${errors.join(', ')}`);
  const read = (key: keyof Secrets) => String(values[`${prefix}${PARAMETERS[key]}`] ?? '');
  return {
    signingSecrets: read('signingSecrets'),
    dingtalkAppKey: read('dingtalkAppKey'),
    dingtalkAppSecret: read('dingtalkAppSecret'),
    dingtalkAgentId: read('dingtalkAgentId'),
  };
}
