import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Content-addressed local storage under DATA_DIR/files: one copy per distinct content. */
export class FileStore {
  constructor(private readonly root: string) {}

  pathFor(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('bad sha256');
    return path.join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Removes a content nothing refers to any more (the caller made sure). */
  remove(sha256: string): void {
    rmSync(this.pathFor(sha256), { force: true });
  }

  put(content: Buffer): string {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const target = this.pathFor(sha256);
    if (!existsSync(target)) {
      mkdirSync(path.dirname(target), { recursive: true });
      const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      writeFileSync(tmp, content);
      renameSync(tmp, target);
    }
    return sha256;
  }
}
