import type { TeachingCertifications } from './teacher-certification.ts';
import type { Connection } from 'mongoose';
import { AUTO_VERSION_EVERY_MS } from '@kneadback/shared/schemas/note';
import type { CollabHub } from '../../collab/hub.ts';
import type { RateLimits } from '../../http/rate-limit.ts';
import type { PersonLock } from '../../keyed-locks.ts';
import type { Logger } from '../../logger.ts';
import type { Realtime } from '../../realtime/socket-server.ts';
import type { ChangeFeed } from '../../scale/change-feed.ts';
import type { AuthService } from '../auth/service.ts';
import type { ExchangeService } from '../exchanges/service.ts';
import { BLOCKS_TOPIC } from '../profiles/blocks.ts';
import { NoteActivity } from './activity.ts';
import { noteCollabHooks } from './collab-hooks.ts';
import { NoteCommunity } from './community.ts';
import { NoteHistory } from './history.ts';
import { noteCollections } from './model.ts';
import { NoteIndex } from './note-index.ts';
import { People } from './present.ts';
import { NoteProjector } from './projector.ts';
import { noteRoutes } from './routes.ts';
import { NOTES_TOPIC, NoteService } from './service.ts';
import { NoteStorage } from './storage.ts';
import { automaticBytes, NoteVersions } from './versions.ts';

/** The notes feature, wired: its routes, its hooks on the Yjs hub, start-up load and stop. */
export function createNotes(deps: {
  connection: Connection;
  auth: AuthService;
  exchanges: ExchangeService;
  realtime: Realtime;
  logger: Logger;
  collab: () => CollabHub;
  teachingCertifications: TeachingCertifications;
  mayContact: (fromUserId: string, toUserId: string) => Promise<boolean>;
  keptApart: (userId: string) => ReadonlySet<string>;
  changes: ChangeFeed;
  limits: RateLimits;
  storageLock?: PersonLock;
  /** At most one automatic version of a note per this much editing (tests shorten it). */
  autoVersionEveryMs?: number;
}) {
  const collections = noteCollections(deps.connection);
  const people = new People(deps.auth);
  const index = new NoteIndex();
  const storage = new NoteStorage(collections.storage, deps.storageLock, (userId) =>
    automaticBytes(index.ownedBy(userId)),
  );
  const notes = new NoteService({ ...deps, collections, index, people, storage });
  deps.changes.follow(NOTES_TOPIC, { reread: (id) => notes.reread(id), reloadAll: () => notes.load() });
  // after the profiles feature has read the changed block list again (followers run in order)
  deps.changes.follow(BLOCKS_TOPIC, { reread: (id) => notes.blocksChanged(id), reloadAll: () => undefined });
  const versions = new NoteVersions(notes, collections, storage, deps.autoVersionEveryMs ?? AUTO_VERSION_EVERY_MS);
  const history = new NoteHistory(notes, collections, people, deps.collab, deps.limits, storage, versions);
  const community = new NoteCommunity(notes, collections, people, deps.limits);
  const activity = new NoteActivity(notes, people, deps.realtime, deps.logger);
  const projector = new NoteProjector(notes, versions, activity, storage, deps.logger);
  return {
    routes: noteRoutes({ auth: deps.auth, notes, history, community, storage }),
    collabHooks: noteCollabHooks({ notes, projector, changes: deps.changes, storage }),
    load: () => notes.load(),
    forget: (userId: string) => notes.forget(userId),
    blocksChanged: (userId: string, otherId?: string) => notes.blocksChanged(userId, otherId),
    stop: () => activity.stop(),
  };
}
