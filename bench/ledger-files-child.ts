/**
 * One database's ledger-files bench in a process of its own (started by run.ts): its memory
 * figures are the import's and the export's, not what an earlier database's run left in the heap.
 * Prints its rows as JSON on the last line.
 */
import { benchLedgerFiles } from './ledger-files';

const dialect = process.argv[2] as 'sqlite' | 'postgres';
const rows = await benchLedgerFiles(dialect);
console.log(`\n${JSON.stringify(rows)}`);
