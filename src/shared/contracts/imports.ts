/** What an import's preview counted: its verdicts, and the cells it cleaned (control characters removed) with the first rows they are in. */
export interface ImportCounts {
  create: number;
  update: number;
  unchanged: number;
  error: number;
  total: number;
  cleaned: number;
  cleanedRows: number[];
  /** Values the file does not state, inferred per column and source (e.g. the district from the street), with the first rows. */
  inferred: { column: string; source: string; count: number; rows: number[] }[];
}
