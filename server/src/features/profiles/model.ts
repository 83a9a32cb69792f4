import { Schema, type Connection, type Types } from 'mongoose';
import { MODALITIES } from '@kneadback/shared/vocabulary';
import {
  DAY_PARTS,
  LANGUAGES,
  PROFILE_PARTS,
  VISIBILITIES,
  WEEKDAYS,
  type Language,
} from '@kneadback/shared/profile-vocabulary';
import type {
  ApproximateLocation,
  AvailabilitySlot,
  Certification,
  ModalityYears,
  ProfileVisibility,
} from '@kneadback/shared/schemas/profile';

/**
 * The rest of a therapist's profile, one document per user keyed by the user's `_id` (the
 * display name, modality names and city stay on the user, where exchanges already read them).
 * Only ever read by `_id`, and once whole at start-up for the discovery index.
 */
const profileSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    bio: { type: String, default: '' },
    modalityYears: {
      type: [{ modality: { type: String, enum: MODALITIES, required: true }, years: { type: Number, required: true } }],
      default: [],
      _id: false,
    },
    specialties: { type: [String], default: [] },
    certifications: {
      type: [
        {
          title: { type: String, required: true },
          modality: { type: String, enum: MODALITIES, required: true },
          issuer: { type: String, required: true },
          year: { type: Number, required: true },
          qualifiesToTeach: { type: Boolean, required: true },
        },
      ],
      default: [],
      _id: false,
    },
    languages: { type: [String], enum: LANGUAGES, default: [] },
    /** Already coarsened (see location.ts); null when the therapist gave none. */
    location: { type: { lat: Number, lng: Number }, default: null, _id: false },
    availability: {
      type: [{ day: { type: String, enum: WEEKDAYS }, part: { type: String, enum: DAY_PARTS } }],
      default: [],
      _id: false,
    },
    openToExchanges: { type: Boolean, default: false },
    /** Set with each new photo (see profile_photos); null without one. */
    photoVersion: { type: String, default: null },
    visibility: {
      type: Object.fromEntries(
        PROFILE_PARTS.map((p) => [p, { type: String, enum: VISIBILITIES, default: 'everyone' }]),
      ),
      default: () => ({}),
      _id: false,
    },
  },
  { collection: 'profiles', versionKey: false, timestamps: true },
);

/**
 * A stored profile as lean reads return it. Any field may be missing: a profile first written by
 * a photo upload (an upsert of one field) holds only that field and its id.
 */
export interface ProfileDoc {
  _id: Types.ObjectId;
  bio?: string;
  modalityYears?: ModalityYears[];
  specialties?: string[];
  certifications?: Certification[];
  languages?: Language[];
  location?: ApproximateLocation | null;
  availability?: AvailabilitySlot[];
  openToExchanges?: boolean;
  photoVersion?: string | null;
  /** Parts saved before they had a visibility of their own are missing: they count as "everyone". */
  visibility?: Partial<ProfileVisibility>;
}

export function profileModel(connection: Connection) {
  return connection.model('Profile', profileSchema);
}
export type ProfileModel = ReturnType<typeof profileModel>;

/**
 * Who a user has blocked: one document per blocker keyed by their `_id`, so "did A block B" is
 * one read by `_id` and the discovery index loads every block in one pass at start-up.
 */
const blockListSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    blocked: { type: [Schema.Types.ObjectId], default: [] },
  },
  { collection: 'block_lists', versionKey: false },
);

export function blockListModel(connection: Connection) {
  return connection.model('BlockList', blockListSchema);
}
export type BlockListModel = ReturnType<typeof blockListModel>;

/**
 * Profile photos apart from profiles: the discovery index reads every profile at start-up and
 * should not carry 40 kB of picture for each. One document per user, keyed by their `_id`.
 */
const profilePhotoSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    type: { type: String, required: true },
    data: { type: Buffer, required: true },
  },
  { collection: 'profile_photos', versionKey: false },
);

export function profilePhotoModel(connection: Connection) {
  return connection.model('ProfilePhoto', profilePhotoSchema);
}
export type ProfilePhotoModel = ReturnType<typeof profilePhotoModel>;
