import { describe, expect, it } from 'vitest';
import { StatementQueue } from './statement-queue';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('StatementQueue', () => {
  it('runs statements one at a time, in the order sent, while the sender goes on', async () => {
    const log: string[] = [];
    const q = new StatementQueue();
    const statement = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };
    q.send(statement('a'));
    log.push('sender builds b');
    q.send(statement('b'));
    log.push('sender builds c');
    q.send(statement('c'));
    await q.done();
    expect(log).toEqual(['sender builds b', 'sender builds c', 'start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('letRun starts what was sent before the sender builds more (otherwise nothing starts until the sender waits)', async () => {
    const log: string[] = [];
    const q = new StatementQueue();
    const statement = (name: string) => async () => {
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
    };
    q.send(statement('a'));
    await q.letRun();
    log.push('sender builds b');
    q.send(statement('b'));
    await q.letRun();
    log.push('sender builds c');
    await q.done();
    expect(log).toEqual(['start a', 'sender builds b', 'sender builds c', 'end a', 'start b', 'end b']);
  });

  it('after a failure sends nothing more, and done answers the failure', async () => {
    const ran: string[] = [];
    const q = new StatementQueue();
    q.send(async () => void ran.push('a'));
    q.send(async () => {
      ran.push('b');
      throw new Error('unique violation');
    });
    q.send(async () => void ran.push('c'));
    await tick(); // the failure happens before anyone waits: no unhandled rejection
    await expect(q.done()).rejects.toThrow('unique violation');
    expect(ran).toEqual(['a', 'b']);
  });
});
