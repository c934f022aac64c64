// postinstall: local-aws-sqs 2.0.2 counts a ChangeMessageVisibility call as one more receive
// (ApproximateReceiveCount + 1), which AWS does not. The worker changes visibility on every failure to back
// off, so locally events reached the dead-letter queue after 6 attempts instead of 12 and the worker never saw
// its last attempt. This makes the emulator count receives only, as SQS does. It fails loudly when the
// package no longer has the code it expects (after an upgrade: check whether the fix is still needed).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = createRequire(import.meta.url).resolve('local-aws-sqs');
const source = readFileSync(file, 'utf8');
const buggy = 'let n=Number(t.record.attributes.ApproximateReceiveCount)+1;';
const fixed = 'let n=Number(t.record.attributes.ApproximateReceiveCount)+(i?0:1);';
if (source.includes(fixed)) process.exit(0);
if (!source.includes(buggy)) {
  console.error(`local/patch-local-sqs.mjs: ${file} does not contain the expected code; review the patch.`);
  process.exit(1);
}
writeFileSync(file, source.replace(buggy, fixed));
