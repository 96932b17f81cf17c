import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../support/postgres-server.js';

// The `npm run postgres` launcher itself: a real server that keeps what it is given.
describe('npm run postgres', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 90_000);
  afterAll(async () => server?.stop());

  it('serves the postgres user on loopback without a password and stores rows', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await client.query('create table launcher_check (id int primary key, note text)');
      await client.query("insert into launcher_check values (1, 'kept'), (2, 'also kept')");
      const { rows } = await client.query('select note from launcher_check order by id');
      expect(rows.map((row) => row.note)).toEqual(['kept', 'also kept']);
      const { rows: settings } = await client.query("select current_setting('server_encoding') as encoding");
      expect(settings[0].encoding).toBe('UTF8');
    } finally {
      await client.end();
    }
  });
});
