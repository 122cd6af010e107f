import type { Kysely } from 'kysely';
import type { Database } from '../database';
import type { DialectName } from '../dialect';
import * as foundation from './2026-11-29-01-foundation';
import * as hazards from './2026-11-29-02-hazards';
import * as hazardIndexes from './2026-11-29-03-hazard-indexes';
import * as dictionaries from './2026-11-29-04-dictionaries';
import * as imports from './2026-11-29-05-imports';
import * as tallies from './2026-11-29-06-tallies';
import * as exportJobs from './2026-11-29-07-exports';
import * as enterpriseIndex from './2026-11-29-08-hazard-enterprise-index';
import * as dropDescriptionIndex from './2026-11-29-09-drop-hazard-description-index';
import * as stepsAndRules from './2026-12-04-10-steps-and-rules';
import * as importMappings from './2026-12-04-11-import-mappings';
import * as jobRuns from './2026-12-04-12-job-runs';
import * as instances from './2026-12-04-13-instances';
import * as checklists from './2026-12-04-14-checklists';
import * as selfcheckRounds from './2026-12-04-15-selfcheck-rounds';
import * as selfcheckResults from './2026-12-04-16-selfcheck-results';
import * as enforcement from './2026-12-05-17-enforcement';
import * as drawDepartment from './2026-12-05-18-draw-department';
import * as experts from './2026-12-05-19-experts';
import * as agencies from './2026-12-05-20-agencies';
import * as tips from './2026-12-05-21-tips';
import * as planTasks from './2026-12-05-22-plan-tasks';
import * as accidents from './2026-12-05-23-accidents';
import * as accidentGradeCodes from './2026-12-06-24-accident-grade-codes';
import * as assessment from './2026-12-06-25-assessment';
import * as risksCertificates from './2026-12-06-26-risks-certificates';
import * as trainingCampaigns from './2026-12-06-27-training-campaigns';
import * as openLedgerIndex from './2026-12-06-28-open-ledger-index';
import * as eventActionIndexes from './2026-12-06-29-event-action-indexes';
import * as eventKeys from './2026-12-06-30-event-keys';
import * as searchTokensDerived from './2026-12-06-31-search-tokens-derived';
import * as ledgerTies from './2026-12-06-32-ledger-ties';
import * as tallyRollups from './2026-12-06-33-tally-rollups';
import * as bulkSearchIndex from './2026-12-06-34-bulk-search-index';
import * as hazardNumbers from './2026-12-06-35-hazard-numbers';
import * as eventInstants from './2026-12-07-36-event-instants';
import * as hazardInstants from './2026-12-07-37-hazard-instants';
import * as partialHazardIndexes from './2026-12-07-38-partial-hazard-indexes';

export interface AppMigration {
  name: string;
  /** `database`: what the migration runs on, for the rare step the query builder cannot express (unsafeSchema). */
  up(db: Kysely<any>, dialect: DialectName, database: Pick<Database, 'unsafeSchema'>): Promise<void>;
}

/** Forward-only, date-prefixed, one list for both dialects. Append; never edit a landed one. */
export const MIGRATIONS: AppMigration[] = [
  { name: '2026-11-29-01-foundation', up: foundation.up },
  { name: '2026-11-29-02-hazards', up: hazards.up },
  { name: '2026-11-29-03-hazard-indexes', up: hazardIndexes.up },
  { name: '2026-11-29-04-dictionaries', up: dictionaries.up },
  { name: '2026-11-29-05-imports', up: imports.up },
  { name: '2026-11-29-06-tallies', up: tallies.up },
  { name: '2026-11-29-07-exports', up: exportJobs.up },
  { name: '2026-11-29-08-hazard-enterprise-index', up: enterpriseIndex.up },
  { name: '2026-11-29-09-drop-hazard-description-index', up: dropDescriptionIndex.up },
  { name: '2026-12-04-10-steps-and-rules', up: stepsAndRules.up },
  { name: '2026-12-04-11-import-mappings', up: importMappings.up },
  { name: '2026-12-04-12-job-runs', up: jobRuns.up },
  { name: '2026-12-04-13-instances', up: instances.up },
  { name: '2026-12-04-14-checklists', up: checklists.up },
  { name: '2026-12-04-15-selfcheck-rounds', up: selfcheckRounds.up },
  { name: '2026-12-04-16-selfcheck-results', up: selfcheckResults.up },
  { name: '2026-12-05-17-enforcement', up: enforcement.up },
  { name: '2026-12-05-18-draw-department', up: drawDepartment.up },
  { name: '2026-12-05-19-experts', up: experts.up },
  { name: '2026-12-05-20-agencies', up: agencies.up },
  { name: '2026-12-05-21-tips', up: tips.up },
  { name: '2026-12-05-22-plan-tasks', up: planTasks.up },
  { name: '2026-12-05-23-accidents', up: accidents.up },
  { name: '2026-12-06-24-accident-grade-codes', up: accidentGradeCodes.up },
  { name: '2026-12-06-25-assessment', up: assessment.up },
  { name: '2026-12-06-26-risks-certificates', up: risksCertificates.up },
  { name: '2026-12-06-27-training-campaigns', up: trainingCampaigns.up },
  { name: '2026-12-06-28-open-ledger-index', up: openLedgerIndex.up },
  { name: '2026-12-06-29-event-action-indexes', up: eventActionIndexes.up },
  { name: '2026-12-06-30-event-keys', up: eventKeys.up },
  { name: '2026-12-06-31-search-tokens-derived', up: searchTokensDerived.up },
  { name: '2026-12-06-32-ledger-ties', up: ledgerTies.up },
  { name: '2026-12-06-33-tally-rollups', up: tallyRollups.up },
  { name: '2026-12-06-34-bulk-search-index', up: bulkSearchIndex.up },
  { name: '2026-12-06-35-hazard-numbers', up: hazardNumbers.up },
  { name: '2026-12-07-36-event-instants', up: eventInstants.up },
  { name: '2026-12-07-37-hazard-instants', up: hazardInstants.up },
  { name: '2026-12-07-38-partial-hazard-indexes', up: partialHazardIndexes.up },
];
