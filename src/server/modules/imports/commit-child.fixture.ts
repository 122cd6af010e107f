/**
 * Test fixture, run as a child process: commits an import job in small batches and kills itself
 * (SIGKILL, no clean-up) once `KILL_AFTER` rows are written — a server dying mid-commit.
 */
import { actorFromUser } from '../../auth/actor';
import { loadConfig } from '../../config';
import { systemCtx } from '../../context';
import { openDatabase } from '../../db/database';
import { commitImport } from './jobs';

const [jobId, username] = process.argv.slice(2);
const config = loadConfig(process.env);
const database = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
const user = await database.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();
const ctx = { ...systemCtx({ db: database.db, dialect: database.dialect, config }), actor: await actorFromUser(database.db, user, 'session') };
const killAfter = Number(process.env.KILL_AFTER);
await commitImport(ctx, jobId, {
  wait: true,
  batch: 3,
  afterBatch: (written) => {
    if (written >= killAfter) process.kill(process.pid, 'SIGKILL');
  },
});
console.log('finished without being killed');
