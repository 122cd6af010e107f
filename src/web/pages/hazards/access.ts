import type { Me } from '../../../shared/contracts/users';

/**
 * Who may report a hazard (the server decides; this only hides a button that would fail):
 * officers, inspectors and experts for enterprises in their scope, an enterprise user for its own.
 */
export function canReport(me: Me): boolean {
  return me.role === 'enterprise' ? !!me.enterpriseId : true;
}
