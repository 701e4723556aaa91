/** Who performs a use case. Written to the audit log as type + id (never a name or e-mail). */
export type Actor =
  | { type: 'user'; id: string; roles: readonly string[]; department: string | null }
  | { type: 'citizen'; id?: string }
  | { type: 'system'; id: string }
  | { type: 'cli'; id?: string };

export const systemActor = (id: string): Actor => ({ type: 'system', id });
export const cliActor: Actor = { type: 'cli', id: 'lotse-cli' };
export const citizenActor: Actor = { type: 'citizen' };
