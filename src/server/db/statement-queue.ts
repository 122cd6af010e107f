/**
 * The statements of one transaction, sent in order without waiting for each: the caller builds the
 * next statement's rows while the database runs the previous one (PostgreSQL works in its own
 * process meanwhile). A statement starts only when the one before it succeeded; after a failure
 * the rest are not sent, and `done` answers that failure.
 */
export class StatementQueue {
  private tail: Promise<unknown> = Promise.resolve();

  send(statement: () => Promise<unknown>): void {
    this.tail = this.tail.then(statement);
    // Seen by `done`; not an unhandled rejection while the caller is still building.
    this.tail.catch(() => undefined);
  }

  /**
   * Lets the statements sent so far run (send their data, start the next) before the caller goes
   * on building: a statement only starts, and a large one only streams, while the loop is free.
   */
  async letRun(): Promise<void> {
    await new Promise(setImmediate);
  }

  /** Waits for every statement sent; rejects with the first failure. */
  async done(): Promise<void> {
    await this.tail;
  }
}
