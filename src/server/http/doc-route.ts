/** A record's official document: GET …/:id/<name>.docx, built under the caller's scope and named for download. */
import { IdParam } from '../../shared/contracts/common';
import type { ActorCtx } from '../context';
import { DOCX, sendDownload } from './download';
import { route, type RouteDef } from './route';

export function docxRoute(url: string, summary: string, make: (ctx: ActorCtx, id: string) => Promise<{ file: Buffer; ascii: string; name: string }>): RouteDef {
  return route({
    method: 'GET',
    url,
    summary,
    tags: ['documents'],
    auth: 'user',
    params: IdParam,
    response: { status: 200 },
    errors: ['NOT_FOUND', 'INVALID_TRANSITION'],
    async handler({ ctx, params, reply }) {
      const d = await make(ctx as ActorCtx, params.id);
      return sendDownload(reply, DOCX, d.ascii, d.name, d.file);
    },
  });
}
