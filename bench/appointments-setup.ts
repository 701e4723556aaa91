// Prepares a database for bench/appointments.mjs: migrate, demo data, then sets how many
// workstations of the Bürgerbüro are bookable online. Usage (env selects the database):
//   node --import tsx bench/appointments-setup.ts <onlineWorkstations>
import { createContext, prepare } from '../src/boot.ts';
import { cliActor } from '../src/core/auth/actor.ts';
import { saveWorkstation } from '../src/modules/appointments/configure.ts';
import { getSetup } from '../src/modules/appointments/rules.ts';

const online = Number(process.argv[2] ?? 5);
const ctx = await createContext();
try {
  await prepare(ctx);
  const setup = await getSetup(ctx);
  for (const w of setup.workstations) {
    const i = Number(w.id.replace(/\D/g, ''));
    await saveWorkstation(ctx, cliActor, { ...w, online: i <= online, active: true });
  }
  process.stderr.write(`setup: ${online} of ${setup.workstations.length} workstations online (${ctx.database.kind})\n`);
} finally {
  await ctx.database.close();
}
