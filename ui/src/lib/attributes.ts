import type { MemberAttributeDto } from '../ipc';

/** Where an attribute's value comes from: "user", "team:<name>" or "default". */
export function attributeSource(source: string): string {
  if (source === 'user') return 'Set on the user';
  if (source === 'default') return 'Default';
  if (source.startsWith('team:')) return `Team: ${source.slice(5)}`;
  return source;
}

/**
 * What Sigma does with an attribute on warehouse connections, for those it applies there: a connection
 * configured with user attributes runs the user's queries with the role and warehouse the attributes name,
 * and it does so while an admin impersonates them. Recognised by name, as Sigma admins name them
 * ("Snowflake role", "WAREHOUSE", "db_role"…).
 */
export function warehouseUse(a: Pick<MemberAttributeDto, 'name'>): 'role' | 'warehouse' | null {
  const name = a.name.toUpperCase();
  if (name.includes('WAREHOUSE')) return 'warehouse';
  if (name.includes('ROLE')) return 'role';
  return null;
}
