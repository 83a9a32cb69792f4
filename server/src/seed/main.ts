// `pnpm seed`: demo data for trying Kneadback out. Connects like the server does (the embedded
// FerretDB in DATA_DIR unless MONGODB_URI is set), adds what is missing, and stops.
// Every step is idempotent, so seeding twice changes nothing. Stop the server first when it uses
// the embedded database: starting it here replaces a FerretDB that is still running on DATA_DIR.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type mongoose from 'mongoose';
import type { Modality } from '@kneadback/shared/vocabulary';
import { loadConfig } from '../config.ts';
import { modelsReady, openDatabase } from '../db/open-database.ts';
import { authModels } from '../features/auth/model.ts';
import { AuthService } from '../features/auth/service.ts';
import { RateLimits } from '../http/rate-limit.ts';
import { createLogger, type Logger } from '../logger.ts';
import { seedDemoCommunity } from './demo-community.ts';
import { seedDemoDebriefs } from './demo-debriefs.ts';
import { seedDemoRequests } from './demo-requests.ts';

export interface SeedContext {
  connection: mongoose.Connection;
  logger: Logger;
  auth: AuthService;
  /** Demo users by email, filled in by seedTherapists for the steps after it. */
  users: Map<string, { id: string; displayName: string }>;
}

export const DEMO_THERAPISTS: {
  email: string;
  password: string;
  displayName: string;
  modalities: Modality[];
  city: string;
}[] = [
  {
    email: 'ana@demo.kneadback.test',
    password: 'demo-password-1',
    displayName: 'Ana Demo',
    modalities: ['deep-tissue', 'sports'],
    city: 'Lisbon',
  },
  {
    email: 'ben@demo.kneadback.test',
    password: 'demo-password-2',
    displayName: 'Ben Demo',
    modalities: ['shiatsu', 'swedish'],
    city: 'Porto',
  },
];

async function seedTherapists(ctx: SeedContext): Promise<void> {
  for (const t of DEMO_THERAPISTS) {
    let user = await ctx.auth.findByEmail(t.email);
    if (!user) {
      const { user: created } = await ctx.auth.signup(
        {
          email: t.email,
          password: t.password,
          displayName: t.displayName,
        },
        'seed',
      );
      user = await ctx.auth.updateProfile(created.id, { modalities: t.modalities, city: t.city });
      ctx.logger.info({ email: t.email }, 'demo therapist created');
    }
    ctx.users.set(t.email, { id: user.id, displayName: user.displayName });
  }
}

/** Run in order; later steps (exchanges, debriefs) can use ctx.users. */
const SEED_STEPS: ((ctx: SeedContext) => Promise<void>)[] = [
  seedTherapists,
  seedDemoDebriefs,
  seedDemoCommunity,
  seedDemoRequests,
];

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const { connection, close } = await openDatabase(config, logger);
  try {
    // seeding is the operator's own act, not a visitor's: no request-rate limits
    const auth = new AuthService(authModels(connection), config.sessionSecret, new RateLimits(false));
    await modelsReady(connection);
    const ctx: SeedContext = { connection, logger, auth, users: new Map() };
    for (const step of SEED_STEPS) await step(ctx);
  } finally {
    await close();
  }
  console.log(`Demo data ready. Sign in as ${DEMO_THERAPISTS.map((t) => `${t.email} / ${t.password}`).join(' or ')}.`);
}

// only when run as a program: importing DEMO_THERAPISTS (e.g. from a test) seeds nothing
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error('Seeding failed:', err);
    process.exit(1);
  });
}
