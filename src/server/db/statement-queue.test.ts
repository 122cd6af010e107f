import { describe, expect, it } from 'vitest';
import { StatementQueue } from './statement-queue';

/** Statements that log their start and end, and end only when the test opens the gate. */
function statements() {
  const log: string[] = [];
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const statement = (name: string) => async () => {
    log.push(`start ${name}`);
    await gate;
    log.push(`end ${name}`);
  };
  return { log, statement, open };
}

describe('StatementQueue', () => {
  it('starts each statement as it is sent, runs them one at a time in order, while the sender builds the next', async () => {
    const { log, statement, open } = statements();
    const q = new StatementQueue();
    await q.send(statement('a'));
    log.push('sender builds b');
    await q.send(statement('b'));
    log.push('sender builds c');
    await q.send(statement('c'));
    open();
    await q.done();
    expect(log).toEqual(['start a', 'sender builds b', 'sender builds c', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('gives the event loop a turn at each send, so I/O (a COPY streaming its rows) proceeds while the sender builds', async () => {
    let turned = false;
    setImmediate(() => (turned = true));
    const q = new StatementQueue();
    await q.send(async () => undefined);
    expect(turned).toBe(true);
    await q.done();
  });

  it('after a failure sends nothing more, and done answers the failure', async () => {
    const ran: string[] = [];
    const q = new StatementQueue();
    await q.send(async () => void ran.push('a'));
    await q.send(async () => {
      ran.push('b');
      throw new Error('unique violation');
    });
    await q.send(async () => void ran.push('c'));
    // The failure happened before anyone waited: no unhandled rejection.
    await expect(q.done()).rejects.toThrow('unique violation');
    expect(ran).toEqual(['a', 'b']);
  });
});
