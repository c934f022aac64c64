import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Log } from '../core/ports.js';
import { HttpError } from './errors.js';
import { json } from './response.js';

/** Errors raised by the core, by contract code: the one place that decides their HTTP status. */
const CORE_ERROR_STATUS: Record<string, number> = {
  not_found: 404,
  invalid_phone: 400,
  not_on_dingtalk: 422,
};

/**
 * Renders any error as the contract's envelope. Only errors below 500 show their message; anything else is
 * logged in full and answered `500 internal`, so no stack trace or internal detail leaves the service.
 */
export function errorResponse(error: unknown, log: Log): APIGatewayProxyStructuredResultV2 {
  if (error instanceof HttpError) {
    return json(error.status, { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
  }
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  const status = code ? CORE_ERROR_STATUS[code] : undefined;
  if (code && status) return json(status, { error: { code, message: (error as Error).message } });
  log.error('unhandled error', { error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) });
  return json(500, { error: { code: 'internal', message: 'internal error' } });
}
