import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type {
  Certification,
  OwnProfile,
  PartnerSearchQuery,
  PartnerSearchResponse,
  ProfileBody,
  ProfileView,
} from '@kneadback/shared/schemas/profile';
import type { CurrentUser, PublicUser } from '@kneadback/shared/schemas/user';
import { notFound } from '../../http/errors.ts';
import type { RateLimits } from '../../http/rate-limit.ts';
import { ONE_PROCESS_FEED, type ChangeFeed } from '../../scale/change-feed.ts';
import { USERS_TOPIC, type AuthService } from '../auth/service.ts';
import { BLOCKS_TOPIC, type BlockService } from './blocks.ts';
import type { DiscoveryIndex } from './discovery-index.ts';
import type { ExchangeFacts } from './exchange-facts.ts';
import { coarsen } from './location.ts';
import type { ProfileDoc, ProfileModel, ProfilePhotoModel } from './model.ts';
import { bytesOf, decodePhoto } from './photo.ts';
import { ownProfile, present } from './profile-views.ts';

/**
 * Therapists' profiles: what they say about themselves, who may see each part, and finding
 * partners among those open to exchanges. A profile is seen by its owner, by partners (all of
 * it), and, only while it is open to exchanges, by everyone signed in (the parts marked
 * "everyone"); to anyone else, and to anyone kept apart by a block, it does not exist.
 */
export class ProfileService {
  constructor(
    private readonly Profiles: ProfileModel,
    private readonly Photos: ProfilePhotoModel,
    private readonly auth: AuthService,
    private readonly blocks: BlockService,
    private readonly index: DiscoveryIndex,
    private readonly exchanges: ExchangeFacts,
    private readonly limits: RateLimits,
    private readonly changes: ChangeFeed = ONE_PROCESS_FEED,
  ) {
    // a name, modality or city changed through the account route reaches search too
    auth.onUserChanged((user) => {
      void this.findDoc(user.id).then(
        (doc) => this.index.put(user.id, doc && ownProfile(user, doc)),
        () => undefined,
      );
    });
    // another server process changed someone: after the user cache forgot them (it follows first)
    changes.follow(USERS_TOPIC, { reread: (id) => this.reread(id), reloadAll: () => this.loadIndex() });
    // loadIndex, just above, reads the block lists too
    changes.follow(BLOCKS_TOPIC, { reread: (id) => blocks.reread(id), reloadAll: () => undefined });
  }

  /**
   * Builds the discovery index: one pass over users, profiles and block lists; again when this
   * process may have missed changes made by other processes.
   */
  async loadIndex(): Promise<void> {
    const users = new Map((await this.auth.allActiveUsers()).map((u) => [u.id, u]));
    const listed = new Set<string>();
    for (const doc of await this.Profiles.find({}).lean<ProfileDoc[]>()) {
      const user = users.get(doc._id.toHexString());
      if (user) this.index.put(user.id, ownProfile(user, doc));
      if (user) listed.add(user.id);
    }
    for (const id of this.index.ids()) if (!listed.has(id)) this.index.remove(id);
    await this.blocks.loadInto(this.index);
  }

  /** What search knows of one person, read again (another process changed it). */
  private async reread(userId: string): Promise<void> {
    const user = await this.auth.activeUser(userId);
    if (!user) return this.index.remove(userId);
    const doc = await this.findDoc(userId);
    this.index.put(userId, doc && ownProfile(user, doc));
  }

  async own(user: PublicUser): Promise<OwnProfile> {
    return ownProfile(user, await this.findDoc(user.id));
  }

  async update(userId: string, body: ProfileBody): Promise<OwnProfile> {
    const doc = await this.Profiles.findByIdAndUpdate(
      new Types.ObjectId(userId),
      {
        $set: {
          bio: body.bio,
          modalityYears: body.modalities,
          specialties: body.specialties,
          certifications: body.certifications,
          languages: body.languages,
          location: body.location ? coarsen(body.location) : null,
          availability: body.availability,
          openToExchanges: body.openToExchanges,
          visibility: body.visibility,
        },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean<ProfileDoc>();
    // updateProfile tells onUserChanged, which re-reads the document just written into the index
    const user = await this.auth.updateProfile(userId, {
      displayName: body.displayName,
      modalities: body.modalities.map((m) => m.modality),
      city: body.city,
    });
    const saved = ownProfile(user, doc);
    this.index.put(userId, saved);
    return saved;
  }

  async view(viewer: CurrentUser, targetId: string): Promise<ProfileView> {
    const { user, doc, relationship, completed } = await this.access(viewer, targetId, () => true);
    const viewerLocation = relationship === 'self' ? null : this.index.locationOf(viewer.id);
    return present(user, doc, relationship, completed ?? 0, viewerLocation);
  }

  /** 404 exactly as `view` answers it unless the viewer may see the profile: for what is shown on it. */
  async requireVisible(viewer: CurrentUser, targetId: string): Promise<void> {
    await this.access(viewer, targetId, () => false);
  }

  /** The photo, to whoever may see the profile and its photo part; 404 otherwise. */
  async photo(viewer: CurrentUser, targetId: string): Promise<{ type: string; data: Buffer }> {
    // a page of search results loads 20 photos: ask about partnership only when the answer matters
    const partnersOnly = (doc: ProfileDoc | null) => (doc?.visibility?.photo ?? 'everyone') !== 'everyone';
    const { doc, relationship } = await this.access(viewer, targetId, partnersOnly);
    const visible = relationship !== 'other' || !partnersOnly(doc);
    const photo = visible && doc?.photoVersion ? await this.Photos.findById(targetId).lean() : null;
    if (!photo) throw notFound('photo');
    return { type: photo.type, data: bytesOf(photo.data) };
  }

  async setPhoto(userId: string, dataUrl: string): Promise<string> {
    const { type, data } = decodePhoto(dataUrl);
    const _id = new Types.ObjectId(userId);
    await this.Photos.updateOne({ _id }, { $set: { type, data } }, { upsert: true });
    const version = randomBytes(8).toString('hex');
    await this.setPhotoVersion(userId, version);
    return version;
  }

  async removePhoto(userId: string): Promise<void> {
    await this.setPhotoVersion(userId, null);
    await this.Photos.deleteOne({ _id: new Types.ObjectId(userId) });
  }

  /** The photo as a data URL, for the data export. */
  async ownPhoto(userId: string): Promise<string | null> {
    const photo = await this.Photos.findById(userId).lean();
    return photo ? `data:${photo.type};base64,${bytesOf(photo.data).toString('base64')}` : null;
  }

  /**
   * The certifications that qualify someone to teach, when their profile shows certifications to
   * everyone signed in; null when it does not (a lesson note then shows only its writer's claim).
   */
  async teachingCertifications(userId: string): Promise<Certification[] | null> {
    const doc = await this.findDoc(userId);
    if (!doc || (doc.visibility?.certifications ?? 'everyone') !== 'everyone') return null;
    return (doc.certifications ?? []).filter((c) => c.qualifiesToTeach);
  }

  async search(searcher: CurrentUser, query: PartnerSearchQuery): Promise<PartnerSearchResponse> {
    await this.limits.take([['searchesPerUser', searcher.id]], 'too many searches');
    return this.index.search(searcher, query);
  }

  /** Account deletion: the profile document, its photo and its place in search. */
  async forget(userId: string): Promise<void> {
    await this.Photos.deleteOne({ _id: new Types.ObjectId(userId) });
    await this.Profiles.deleteOne({ _id: new Types.ObjectId(userId) });
    this.index.remove(userId);
    await this.changes.changed(USERS_TOPIC, userId);
  }

  /**
   * Who the viewer is to the profile, or 404: yourself; a partner (every part); anyone else only
   * while it is open to exchanges. A block either way, a deleted account and a malformed id all
   * look like an id nobody has. Partnership costs a read of the target's exchanges, made only
   * when the profile is closed or `needPartnership` says the answer matters; `completed` comes
   * with it.
   */
  private async access(
    viewer: CurrentUser,
    targetId: string,
    needPartnership: (doc: ProfileDoc | null) => boolean,
  ): Promise<{
    user: PublicUser;
    doc: ProfileDoc | null;
    relationship: ProfileView['relationship'];
    completed: number | null;
  }> {
    if (targetId === viewer.id) {
      const [doc, facts] = await Promise.all([this.findDoc(viewer.id), this.exchanges.summary(viewer.id, viewer.id)]);
      return { user: viewer, doc, relationship: 'self', completed: facts.completed };
    }
    const user = await this.auth.activeUser(targetId);
    if (!user || !(await this.blocks.mayContact(viewer.id, targetId))) throw notFound('therapist');
    const doc = await this.findDoc(targetId);
    const facts =
      !doc?.openToExchanges || needPartnership(doc) ? await this.exchanges.summary(targetId, viewer.id) : null;
    if (!facts?.partners && !doc?.openToExchanges) throw notFound('therapist');
    return { user, doc, relationship: facts?.partners ? 'partner' : 'other', completed: facts?.completed ?? null };
  }

  private async setPhotoVersion(userId: string, photoVersion: string | null): Promise<void> {
    const doc = await this.Profiles.findByIdAndUpdate(
      new Types.ObjectId(userId),
      { $set: { photoVersion } },
      { upsert: true, returnDocument: 'after' },
    ).lean<ProfileDoc>();
    const user = await this.auth.activeUser(userId);
    if (user) this.index.put(userId, ownProfile(user, doc));
    await this.changes.changed(USERS_TOPIC, userId);
  }

  private findDoc(userId: string): Promise<ProfileDoc | null> {
    return this.Profiles.findById(userId).lean<ProfileDoc>();
  }
}
