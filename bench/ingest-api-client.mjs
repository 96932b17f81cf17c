// The load generator of bench/ingest-api.ts, in its own process: autocannon posting one new CRM
// record per request (its own customer_id), built as the requests go out. Half the records carry an
// email of a person the store knows (they join that profile), half a new person's. The measured run
// follows WARM_UP_SECONDS of the same load (autocannon's warm-up), so its figures are of a service
// already serving that load; the parent is told when the measured run starts, and given the
// warm-up's latencies too.
import autocannon from 'autocannon';

const [address, key, seconds, connections] = process.argv.slice(2);
const WARM_UP_SECONDS = 5;

process.once('message', async (emails) => {
  let sequence = 0;
  const record = () => {
    const n = sequence++;
    const email = n % 2 === 0 ? emails[(n / 2) % emails.length] : `bench-new-${n}@bench.example`;
    return {
      customer_id: `BENCH-API-${n}`,
      updated_at: new Date(1_780_000_000_000 + n).toISOString(),
      email,
      first_name: 'Sam',
      last_name: `Bench${n % 997}`,
      country: 'GB',
    };
  };
  const run = autocannon({
    url: `${address}/v1/sources/crm/records`,
    connections: Number(connections),
    pipelining: 1,
    duration: Number(seconds),
    warmup: { connections: Number(connections), duration: WARM_UP_SECONDS },
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          request.body = JSON.stringify({ records: [record()] });
          return request;
        },
      },
    ],
  });
  run.on('start', () => process.send({ started: true }));
  const result = await run;
  process.send(
    {
      ok: result['2xx'],
      seconds: result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors,
      non2xx: result.non2xx,
      warmUp: { seconds: WARM_UP_SECONDS, p50: result.warmup.latency.p50, p99: result.warmup.latency.p99 },
    },
    () => process.exit(0),
  );
});
