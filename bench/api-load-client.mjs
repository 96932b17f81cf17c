// The load generator of bench/api-load.ts, in its own process: autocannon over the given bodies.
import autocannon from 'autocannon';

const [address, key, seconds] = process.argv.slice(2);
process.once('message', async (bodies) => {
  let next = 0;
  const result = await autocannon({
    url: `${address}/v1/lookup`,
    connections: 32,
    pipelining: 1,
    duration: Number(seconds),
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request) => {
          request.body = bodies[next++ % bodies.length];
          return request;
        },
      },
    ],
  });
  process.send(
    {
      requests: result.requests.total,
      rps: Math.round(result.requests.average),
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors,
      non2xx: result.non2xx,
    },
    () => process.exit(0),
  );
});
