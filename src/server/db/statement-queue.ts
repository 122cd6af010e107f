/**
 * The statements of one transaction, sent in order without waiting for each: the caller builds the
 * next statement's rows while the database runs the previous one (PostgreSQL works in its own
 * process meanwhile). A statement starts only when the one before it succeeded; after a failure
 * the rest are not sent, and `done` answers that failure.
 */
export class StatementQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /**
   * Queues `statement` after those sent before, then gives the event loop one turn: a statement
   * only starts, and a large one (COPY) only streams, while the loop is free — without the turn, a
   * caller building its next rows would hold back the statement it just sent.
   */
  async send(statement: () => Promise<unknown>): Promise<void> {
    this.tail = this.tail.then(statement);
    // Seen by `done`; not an unhandled rejection while the caller is still building.
    this.tail.catch(() => undefined);
    await new Promise(setImmediate);
  }

  /** Waits for every statement sent; rejects with the first failure. */
  async done(): Promise<void> {
    await this.tail;
  }
}
