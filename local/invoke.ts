/**
 * `npm run invoke -- <function> [event.json]`: runs one function with `serverless invoke local` against the
 * running local stack (`npm start`), with a sample event from `events/` (default: events/<function-name>.json).
 *
 * HTTP events are signed here, with the current time and the first of SIGNING_SECRETS (default: the local
 * development secret), exactly as the ticket system signs requests. The functions themselves never skip the
 * signature check, so there is no switch that could weaken it on a deployed stage.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '../lib/http/signature.js';
import { LOCAL_SIGNING_SECRET } from './signed-fetch.js';
import { REGION } from './stack.js';

const [fn, file] = process.argv.slice(2);
if (!fn) {
  console.error('usage: npm run invoke -- <function> [events/file.json]   e.g. npm run invoke -- putUserDingtalk');
  process.exit(2);
}
const path = file ?? `events/${fn.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.json`;
const event = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;

if (event.requestContext?.http) {
  const secret = (process.env.SIGNING_SECRETS ?? LOCAL_SIGNING_SECRET).split(',')[0]!.trim();
  const timestamp = Math.floor(Date.now() / 1000);
  const target = event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath;
  event.headers = {
    ...event.headers,
    'x-signature-timestamp': String(timestamp),
    'x-signature': sign(secret, timestamp, event.requestContext.http.method, target, event.body ?? ''),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'invoke-'));
const signedPath = join(dir, 'event.json');
writeFileSync(signedPath, JSON.stringify(event));
const result = spawnSync('npx', ['--no-install', 'serverless', 'invoke', 'local', '--stage', 'local', '--function', fn, '--path', signedPath], {
  stdio: 'inherit',
  env: {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`,
    AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${process.env.SQS_PORT ?? 9324}`,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    ...process.env,
  },
});
rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);
