/**
 * Feeds the local queue to the worker the way AWS's SQS event source does: long-polls batches, invokes the
 * worker through serverless-offline's Lambda endpoint, and deletes only the records the worker did not report
 * in `batchItemFailures`. A failed record stays on the queue, comes back after its visibility timeout, and
 * reaches the dead-letter queue after `maxReceiveCount` receives (the queue's redrive policy does that).
 * A worker that crashes or times out fails the whole batch, as on AWS.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';

export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  /** e.g. `http://127.0.0.1:3002/2015-03-31/functions/ticket-dingtalk-local-notifyWorker/invocations` */
  invokeUrl: string;
  batchSize: number;
  /** Like the event source's `maximumConcurrency`: this many batches in flight at most. */
  concurrency: number;
  log?: (message: string) => void;
}

export function startPoller(options: PollerOptions): { stop(): Promise<void> } {
  let running = true;
  const loops = Array.from({ length: options.concurrency }, () => loop());

  async function loop(): Promise<void> {
    while (running) {
      try {
        const { Messages } = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: 1,
            // The worker needs ApproximateReceiveCount (back-off, last attempt). local-aws-sqs reads only the
            // older parameter name; AWS accepts both.
            AttributeNames: ['All'],
            MessageSystemAttributeNames: ['All'],
          }),
        );
        if (Messages?.length) await deliver(Messages);
      } catch (error) {
        if (running) options.log?.(`poller: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  async function deliver(messages: Message[]): Promise<void> {
    const failed = await invoke(messages);
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length === 0) return;
    await options.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }

  /** The ids of the records that failed: all of them when the invocation itself failed. */
  async function invoke(messages: Message[]): Promise<Set<string>> {
    const all = new Set(messages.map((m) => m.MessageId!));
    try {
      const response = await fetch(options.invokeUrl, { method: 'POST', body: JSON.stringify(toSqsEvent(messages, options)) });
      const text = await response.text();
      if (!response.ok || response.headers.get('x-amz-function-error')) {
        options.log?.(`poller: worker invocation failed (${response.status})`);
        return all;
      }
      const result = JSON.parse(text) as { batchItemFailures?: { itemIdentifier: string }[] } | null;
      return new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      options.log?.(`poller: worker unreachable: ${String(error)}`);
      return all;
    }
  }

  return {
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

function toSqsEvent(messages: Message[], options: PollerOptions) {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId,
      receiptHandle: m.ReceiptHandle,
      body: m.Body,
      attributes: m.Attributes ?? {},
      messageAttributes: {},
      md5OfBody: m.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: options.queueArn,
      awsRegion: options.region,
    })),
  };
}
