/**
 * Test fixture, run as a child process: one write to the SQLite file named first, through the
 * server's driver, into `items` — it waits while another process holds the write lock. Prints
 * `written` when it has.
 */
import { sql } from 'kysely';
import { openSqlite } from './database';

const database = openSqlite(process.argv[2]);
await sql`insert into items (who) values ('other process')`.execute(database.db);
await database.close();
console.log('written');
