// The load generator of bench/segment.ts, in its own process: autocannon posting Segment `batch`
// calls of 100 events, each event new (its own messageId), built as the requests go out.
import autocannon from 'autocannon';

const [address, writeKey, seconds, connections] = process.argv.slice(2);
const EVENTS_PER_BATCH = 100;
const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

process.once('message', async (emails) => {
  let sequence = 0;
  // A site's traffic, five events a visitor: signed in (identify: user ID, cookie, email, name), then
  // actions and page views. Three of the five carry identifiers no record holds yet (60% of events
  // add a record, the rest repeat one); half the emails are people the store knows.
  const event = () => {
    const n = sequence++;
    const person = Math.floor(n / 5);
    const email = person % 2 === 0 ? emails[(person / 2) % emails.length] : `visitor-${person}@bench.example`;
    const common = { messageId: `bench-${n}`, timestamp: new Date(1_780_000_000_000 + n).toISOString() };
    const context = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (bench)', library: { name: 'analytics.js' } };
    const userId = `user-${person}`;
    const anonymousId = `anon-${person}`;
    switch (n % 5) {
      case 0:
        return { ...common, type: 'identify', userId, anonymousId, traits: { email, firstName: 'Sam' }, context };
      case 1:
      case 3:
        return {
          ...common,
          type: 'track',
          userId,
          event: 'Product Viewed',
          properties: { sku: `sku-${n % 997}` },
          context,
        };
      default:
        return { ...common, type: 'page', anonymousId, name: 'Home', properties: { path: '/' }, context };
    }
  };
  const result = await autocannon({
    url: `${address}/segment/v1/batch`,
    connections: Number(connections),
    pipelining: 1,
    duration: Number(seconds),
    // A service that has been running: the first calls (compiling, the first commit) are not counted.
    warmup: { connections: Number(connections), duration: 3 },
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          request.body = JSON.stringify({
            batch: Array.from({ length: EVENTS_PER_BATCH }, event),
            sentAt: new Date().toISOString(),
          });
          return request;
        },
      },
    ],
  });
  process.send(
    {
      requests: result.requests.total,
      ok: result['2xx'],
      seconds: result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors,
      non2xx: result.non2xx,
      eventsPerBatch: EVENTS_PER_BATCH,
    },
    () => process.exit(0),
  );
});
