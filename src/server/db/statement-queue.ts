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

  /** Waits for every statement sent; rejects with the first failure. */
  async done(): Promise<void> {
    await this.tail;
  }
}
