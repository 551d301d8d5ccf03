// The load generator of `npm run bench:webhooks`, in its own process (forked by the bench) so
// its own work (JSON, HMAC, fetch) does not run on the service's event loop and the latencies
// it measures are the service's. It gets its orders as one IPC message, sends signed
// post_created deliveries from `concurrency` loops until the time is up, and answers with the
// latency of each delivery.
import { createHmac } from 'node:crypto';

export interface SenderOrders {
  url: string;
  secret: string;
  topicId: number;
  categoryId: number;
  seconds: number;
  concurrency: number;
}

export interface SenderReport {
  latencies: number[];
  failures: number;
  seconds: number;
}

const SENTENCES = [
  'We moved our one-on-ones to a shared agenda and it helped.',
  'Budget reviews every quarter keep surprises small.',
  'New managers get a buddy for their first three months.',
  'Remote teams need written decisions more than meetings.',
  'Hiring loops work better with a scorecard agreed up front.',
];

async function run(o: SenderOrders): Promise<SenderReport> {
  let next = 1;
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + o.seconds * 1000;
  const sender = async () => {
    while (performance.now() < deadline) {
      const n = next++;
      const body = JSON.stringify({
        post: {
          id: 1_000_000 + n,
          topic_id: o.topicId,
          post_number: 100 + n,
          post_type: 1,
          username: ['alice', 'bob', 'carol', 'dave'][n % 4],
          name: 'Member',
          created_at: new Date().toISOString(),
          raw: `${SENTENCES[n % SENTENCES.length]} (note ${n})`,
          cooked: '<p>…</p>',
          topic_title: 'Onboarding',
          category_id: o.categoryId,
          topic_archetype: 'regular',
        },
      });
      const signature = `sha256=${createHmac('sha256', o.secret).update(body).digest('hex')}`;
      const t0 = performance.now();
      try {
        const response = await fetch(o.url, {
          method: 'POST',
          body,
          headers: {
            'Content-Type': 'application/json',
            'X-Discourse-Event': 'post_created',
            'X-Discourse-Event-Type': 'post',
            'X-Discourse-Event-Id': String(5_000_000 + n),
            'X-Discourse-Event-Signature': signature,
          },
        });
        await response.arrayBuffer();
        if (response.status !== 200) failures++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: o.concurrency }, sender));
  return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}

process.once('message', (orders: SenderOrders) => {
  run(orders).then(
    (report) => process.send!(report, () => process.exit(0)),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
});
