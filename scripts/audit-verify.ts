/** `npm run audit:verify`: checks every audit chain of the configured database; exit 1 names the first broken record. */
import { verifyAuditChains } from '../src/server/audit/audit';
import { loadConfig } from '../src/server/config';
import { openDatabase } from '../src/server/db/database';

const config = loadConfig();
const database = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  const reports = await verifyAuditChains(database.db);
  if (reports.length === 0) console.log(`No audit records in ${database.location}.`);
  for (const r of reports) {
    if (r.ok) console.log(`chain ${r.chain}: ${r.records} records, intact`);
    else console.log(`chain ${r.chain}: BROKEN at seq ${r.firstBroken!.seq} (record ${r.firstBroken!.id || '—'}): ${r.firstBroken!.reason}`);
  }
  process.exitCode = reports.every((r) => r.ok) ? 0 : 1;
} finally {
  await database.close();
}
