import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs (service name and request id on every line). Phone numbers never go in: see `maskPhone`. */
export const logger = new Logger({ serviceName: 'ticket-dingtalk' });
