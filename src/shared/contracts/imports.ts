/** What an import's preview counted: its verdicts, and the cells it cleaned (control characters removed) with the first rows they are in. */
export interface ImportCounts {
  create: number;
  update: number;
  unchanged: number;
  error: number;
  total: number;
  cleaned: number;
  cleanedRows: number[];
}
