/**
 * Errors the use cases raise for the caller to see. Each carries the contract's error code; the HTTP edge
 * maps codes to statuses in one place (`lib/http/error-envelope.ts`).
 */
export class NotFoundError extends Error {
  readonly code = 'not_found';
}

export class NotOnDingTalkError extends Error {
  readonly code = 'not_on_dingtalk';
}

export { InvalidPhoneError } from './phone.js';
