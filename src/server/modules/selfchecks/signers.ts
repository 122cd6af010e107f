/** 签字人: who may sign a round off: the persons recorded on the enterprise, with their role. */
export function signersOf(e: { principal_name: string; safety_manager_name: string | null }) {
  const s = [{ name: e.principal_name, role: '主要负责人' }];
  if (e.safety_manager_name && e.safety_manager_name !== e.principal_name) s.push({ name: e.safety_manager_name, role: '安全管理人员' });
  return s;
}
