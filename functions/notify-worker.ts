import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { QueueMessage } from '../lib/adapters/sqs-event-queue.js';
import { notifyTicketEvent } from '../lib/core/notify-ticket-event.js';
import { loadDeps, type Deps } from '../lib/deps.js';
import { logger } from '../lib/logger.js';

/** SQS never waits longer than 12 hours; DingTalk outages rarely outlast the back-off's 15-minute cap. */
const MAX_RETRY_DELAY_SECONDS = 900;

/**
 * The SQS worker: one ticket event per record, failing only the records that failed (`ReportBatchItemFailures`)
 * so one bad message never holds back the batch. A failed record is hidden for a delay that doubles with each
 * receive; after `MAX_RECEIVE_COUNT` receives the event is recorded `failed` and SQS moves it to the DLQ.
 */
export const createNotifyWorkerHandler = (getDeps: () => Promise<Deps>) =>
  middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const deps = await getDeps();
    const notifyDeps = { ...deps, recheckSeconds: deps.config.DINGTALK_RECHECK_SECONDS, leaseSeconds: deps.config.EVENT_LEASE_SECONDS };
    const processRecord = async (record: SQSRecord) => {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
      try {
        const { eventId } = QueueMessage.parse(JSON.parse(record.body));
        await notifyTicketEvent(notifyDeps, eventId, { finalAttempt: receiveCount >= deps.config.MAX_RECEIVE_COUNT });
      } catch (error) {
        logger.warn('ticket event failed; it will be retried', { messageId: record.messageId, receiveCount, error: String(error) });
        await delayRetry(deps, record, receiveCount);
        throw error;
      }
    };
    return processPartialResponse(event, processRecord, new BatchProcessor(EventType.SQS), {
      context,
      // Report every record as failed rather than throw: same retry, without an invocation error.
      throwOnFullBatchFailure: false,
    });
  }).use(injectLambdaContext(logger, { resetKeys: true }));

async function delayRetry(deps: Deps, record: SQSRecord, receiveCount: number): Promise<void> {
  const delay = Math.min(deps.config.RETRY_BASE_SECONDS * 2 ** (receiveCount - 1), MAX_RETRY_DELAY_SECONDS);
  try {
    await deps.queue.delayRedelivery(record.receiptHandle, delay);
  } catch (error) {
    // The queue's own visibility timeout still brings the message back; only the back-off is lost.
    logger.warn('could not delay a failed message', { messageId: record.messageId, error: String(error) });
  }
}

export const handler = createNotifyWorkerHandler(loadDeps);
