/**
 * 证书到期核验, once a day (hourly ticks; every step keyed so a rerun adds nothing): a certificate
 * valid today that expires within the warning days is told to its enterprise's users (once per
 * certificate and expiry date); every enterprise with a lapsed certificate of a declared operation not
 * yet on the ledger gets its hazard (recordLapses, each enterprise in its own transaction, so one
 * failure leaves the others done); a standardization record that ran out moves its enterprise to 未定级.
 */
import { addDays, shanghaiDate } from '../../../shared/dates';
import { transact, type Ctx } from '../../context';
import { notify } from '../../notify/notify';
import { ruleValue } from '../../rules/rules';
import { platformActor } from '../../scope/scope';
import { CERTIFICATE_KIND_LABELS } from '../../../shared/contracts/certificates';
import { closeLapsesRenewedBy, recordLapses } from './lapses';
import { CERTIFICATE_WATCH } from './rules';
import { followStandardizationLevels } from './standardization';

export async function runCertificateWatch(base: Ctx, now: Date): Promise<{ expiring: number; deliveries: number; lapses: number; renewed: number; failed: number; levels: number }> {
  const db = base.db;
  const today = shanghaiDate(now);
  const ctx = { ...base, now: () => now };
  let expiring = 0;
  let deliveries = 0;
  let lapses = 0;
  let failed = 0;
  let renewed = 0;
  let firstError: unknown = null;
  const cities = (await db.selectFrom('certificates').select('city_code').distinct().execute()).map((c) => c.city_code);
  for (const city of cities) {
    const { expiryWarningDays } = await ruleValue(db, city, CERTIFICATE_WATCH, today);
    const due = await db
      .selectFrom('certificates as c')
      .select(['c.id', 'c.enterprise_id', 'c.kind', 'c.holder_name', 'c.number', 'c.valid_to'])
      .where('c.city_code', '=', city)
      .where('c.valid_from', '<=', today)
      .where('c.valid_to', '>=', today)
      .where('c.valid_to', '<=', addDays(today, expiryWarningDays))
      .execute();
    for (const c of due) {
      expiring++;
      const users = await db.selectFrom('users').select('id').where('enterprise_id', '=', c.enterprise_id).where('status', '=', 'active').execute();
      deliveries += await notify({ db, now: () => now, actor: null }, {
        to: users.map((u) => u.id),
        kind: 'certificate.expiring',
        title: `证书即将到期：${c.holder_name}的${CERTIFICATE_KIND_LABELS[c.kind].zh}（${c.number}）将于 ${c.valid_to} 到期，请及时复审或换证`,
        link: `/certificates?enterpriseId=${c.enterprise_id}`,
        needsAction: true,
        dedupeKey: `certificate-expiring:${c.id}:${c.valid_to}`,
      });
    }
    // Enterprises with a lapse not yet on the ledger, or an open one a renewal now in force closes.
    const ents = await db
      .selectFrom('certificates as c')
      .select('c.enterprise_id')
      .distinct()
      .where('c.city_code', '=', city)
      .where('c.kind', '=', 'special_operation')
      .where((eb) =>
        eb.or([
          eb.and([
            eb('c.valid_to', '<', today),
            eb.exists(eb.selectFrom('enterprise_operations as o').select('o.operation').whereRef('o.enterprise_id', '=', 'c.enterprise_id').whereRef('o.operation', '=', 'c.operation')),
            eb.not(eb.exists(eb.selectFrom('certificate_lapses as l').select('l.certificate_id').whereRef('l.certificate_id', '=', 'c.id'))),
          ]),
          eb.exists(eb.selectFrom('certificate_lapses as l2').select('l2.certificate_id').whereRef('l2.certificate_id', '=', 'c.id').where('l2.closed_at', 'is', null)),
        ]),
      )
      .execute();
    for (const e of ents) {
      try {
        const done = await transact({ ...ctx, actor: platformActor(city) }, async (tx) => ({ opened: await recordLapses(tx, e.enterprise_id, today), closed: await closeLapsesRenewedBy(tx, e.enterprise_id, today) }));
        lapses += done.opened.length;
        renewed += done.closed.length;
      } catch (err) {
        failed++;
        firstError ??= err;
      }
    }
  }
  const levels = await followStandardizationLevels(ctx, today);
  // The others are done; failing the run gives the period back, so the next tick tries these again (and the error is logged).
  if (failed) throw new Error(`certificate watch: ${failed} enterprise(s) could not be checked`, { cause: firstError });
  return { expiring, deliveries, lapses, renewed, failed, levels };
}
