import { z } from 'zod';
import { isKnownRegionId } from '../body/lookup.ts';
import { CATEGORIES, MODALITIES } from '../vocabulary.ts';
import { tagSchema, MAX_TAGS, replyInputSchema } from './annotation.ts';
import { isoDateSchema, objectIdSchema } from './common.ts';
import { publicUserSchema } from './user.ts';

/**
 * Technique notes (issue 10): what the API says about a note and what it accepts. The note's
 * live content (title, body, kind fields) is a Yjs document whose shape only
 * `docs/note-doc.ts` knows; these schemas validate its fields there and at every HTTP boundary.
 */

export const NOTE_KINDS = ['technique', 'situation', 'lesson'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];
export const noteKindSchema = z.enum(NOTE_KINDS);

export const NOTE_KIND_LABELS: Record<NoteKind, string> = {
  technique: 'Technique',
  situation: 'Hard moment with a client',
  lesson: 'Lesson from a partner',
};

/** The hard moments therapists asked for first; `other` for the rest. */
export const SITUATION_TYPES = ['no-communication', 'erection', 'emotional-release', 'pain-later', 'other'] as const;
export type SituationType = (typeof SITUATION_TYPES)[number];
export const SITUATION_LABELS: Record<SituationType, string> = {
  'no-communication': 'Client did not communicate',
  erection: 'Erection',
  'emotional-release': 'Emotional release (tears)',
  'pain-later': 'Pain reported later',
  other: 'Something else',
};

export const MAX_NOTE_TITLE = 120;
export const MAX_NOTE_REGIONS = 20;
export const MAX_NOTE_STEPS = 30;
export const MAX_NOTE_STEP = 500;
/** The situation kind's three short texts (what happened, what helped, what to try next). */
export const MAX_NOTE_FIELD_TEXT = 4_000;
export const MAX_TEACHER_NAME = 80;
export const MAX_CERTIFICATION_NAME = 120;

/**
 * Field values are stored as typed (a title mid-typing ends in a space), so the document's field
 * schemas do not trim; values arriving over HTTP are trimmed first.
 */
export const noteTitleSchema = z.string().max(MAX_NOTE_TITLE, `a title is at most ${MAX_NOTE_TITLE} characters`);
export const noteTagsSchema = z.array(tagSchema).max(MAX_TAGS, `a note has at most ${MAX_TAGS} tags`);
export const regionIdSchema = z.string().refine(isKnownRegionId, 'unknown body region');
export const noteRegionsSchema = z
  .array(regionIdSchema)
  .max(MAX_NOTE_REGIONS, `a note names at most ${MAX_NOTE_REGIONS} regions`);
const fieldText = z.string().max(MAX_NOTE_FIELD_TEXT, `at most ${MAX_NOTE_FIELD_TEXT} characters`);

/** Fields every kind has. */
const commonFieldsShape = {
  title: noteTitleSchema,
  tags: noteTagsSchema,
  regions: noteRegionsSchema,
};

/**
 * Each kind's fields, as stored one key each in the document's `fields` map (see note-doc.ts).
 * Every key is optional in the document: a missing key reads as its default.
 */
export const techniqueFieldsSchema = z.strictObject({
  ...commonFieldsShape,
  modality: z.enum(MODALITIES).nullable(),
  steps: z
    .array(z.string().max(MAX_NOTE_STEP, `a step is at most ${MAX_NOTE_STEP} characters`))
    .max(MAX_NOTE_STEPS, `a technique has at most ${MAX_NOTE_STEPS} steps`),
});
export const situationFieldsSchema = z.strictObject({
  ...commonFieldsShape,
  situation: z.enum(SITUATION_TYPES).nullable(),
  whatHappened: fieldText,
  whatHelped: fieldText,
  tryNext: fieldText,
});
/**
 * Who taught it. `teacherId` is the partner's user id (null: someone outside Kneadback, named in
 * `teacherName`); `teacherClaimsCertification` is what the note's writer says. Whether the
 * teacher's profile confirms a certification is decided by the server at read time
 * (`NoteView.teacherCertified`), never stored from a client.
 */
export const lessonFieldsSchema = z.strictObject({
  ...commonFieldsShape,
  teacherId: objectIdSchema.nullable(),
  teacherName: z.string().max(MAX_TEACHER_NAME, `a name is at most ${MAX_TEACHER_NAME} characters`),
  teacherClaimsCertification: z.boolean(),
  certification: z
    .string()

    .max(MAX_CERTIFICATION_NAME, `a certification is at most ${MAX_CERTIFICATION_NAME} characters`),
});
export type TechniqueFields = z.infer<typeof techniqueFieldsSchema>;
export type SituationFields = z.infer<typeof situationFieldsSchema>;
export type LessonFields = z.infer<typeof lessonFieldsSchema>;

export const NOTE_FIELD_SCHEMAS = {
  technique: techniqueFieldsSchema,
  situation: situationFieldsSchema,
  lesson: lessonFieldsSchema,
} as const;

export type NoteFields =
  | ({ kind: 'technique' } & TechniqueFields)
  | ({ kind: 'situation' } & SituationFields)
  | ({ kind: 'lesson' } & LessonFields);

export const NOTE_FIELD_DEFAULTS: { [K in NoteKind]: z.infer<(typeof NOTE_FIELD_SCHEMAS)[K]> } = {
  technique: { title: '', tags: [], regions: [], modality: null, steps: [] },
  situation: { title: '', tags: [], regions: [], situation: null, whatHappened: '', whatHelped: '', tryNext: '' },
  lesson: {
    title: '',
    tags: [],
    regions: [],
    teacherId: null,
    teacherName: '',
    teacherClaimsCertification: false,
    certification: '',
  },
};

// ---------- sharing ----------

export const NOTE_ROLES = ['owner', 'editor', 'reader'] as const;
export type NoteRole = (typeof NOTE_ROLES)[number];
/** What an owner grants a chosen exchange partner. */
export const shareRoleSchema = z.enum(['editor', 'reader']);
export type ShareRole = z.infer<typeof shareRoleSchema>;
/** How the asker reaches the note: their own, shared with them, or the community library. */
export type NoteAccess = NoteRole | 'community';

/** Who may change a note: its owner and the partners they made editors (the server enforces it). */
export const mayEditNote = (access: NoteAccess | null): boolean => access === 'owner' || access === 'editor';
/**
 * Who may see a note's earlier versions: only those who may change it. A version keeps what the
 * author later took out, such as a client's name scrubbed before sharing or publishing, so
 * readers and the community see the note as it is now.
 */
export const maySeeNoteHistory = mayEditNote;

export const noteShareSchema = z.object({
  user: publicUserSchema,
  role: shareRoleSchema,
  sharedAt: isoDateSchema,
});
export type NoteShare = z.infer<typeof noteShareSchema>;

export const noteSharingSchema = z.object({
  shares: z.array(noteShareSchema),
  /** Published to the community library: every signed-in therapist may read it. */
  published: z.boolean(),
  publishedAt: isoDateSchema.nullable(),
});
export type NoteSharing = z.infer<typeof noteSharingSchema>;

export const MAX_NOTE_SHARES = 50;
export const shareNoteBodySchema = z.strictObject({ role: shareRoleSchema });
export const publishNoteBodySchema = z.strictObject({ published: z.boolean() });

// ---------- links to debrief marks ----------

const markIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a mark id');

/** A link from a note to a mark of a debrief; shown only to people who may see that debrief. */
export const noteMarkLinkSchema = z.object({
  id: z.string(),
  exchangeId: objectIdSchema,
  markId: markIdSchema,
  /** The mark's region when linked, so the note can point at the body map without the debrief. */
  regionId: z.string(),
  createdBy: objectIdSchema,
  createdAt: isoDateSchema,
});
export type NoteMarkLink = z.infer<typeof noteMarkLinkSchema>;
export const MAX_NOTE_LINKS = 50;
export const linkMarkBodySchema = z.strictObject({ exchangeId: objectIdSchema, markId: markIdSchema });

// ---------- creating ----------

/**
 * Start a note blank, from a debrief mark ("Write a note about this": linked to the mark,
 * region and title prefilled) or from a Review pattern ("too deep on the left upper trapezius,
 * 4 times": region, tag and title prefilled). Prefilled values are suggestions the writer edits.
 */
export const createNoteBodySchema = z.strictObject({
  kind: noteKindSchema,
  title: noteTitleSchema.trim().optional(),
  tags: noteTagsSchema.optional(),
  regions: noteRegionsSchema.optional(),
  from: z
    .discriminatedUnion('type', [
      z.strictObject({ type: z.literal('mark'), exchangeId: objectIdSchema, markId: markIdSchema }),
      z.strictObject({
        type: z.literal('pattern'),
        regionId: regionIdSchema,
        category: z.enum(CATEGORIES).optional(),
        tag: tagSchema.optional(),
        count: z.number().int().min(1).max(100_000).optional(),
      }),
    ])
    .optional(),
});
export type CreateNoteBody = z.infer<typeof createNoteBodySchema>;

// ---------- reading ----------

/** A note as lists show it (search results, shared with me, notes about a mark). */
export const noteSummarySchema = z.object({
  id: objectIdSchema,
  /** The note's Yjs document name on the collab endpoint (`note:<id>`, see note-doc.ts). */
  docName: z.string(),
  kind: noteKindSchema,
  title: z.string(),
  tags: z.array(z.string()),
  regions: z.array(z.string()),
  modality: z.enum(MODALITIES).nullable(),
  author: publicUserSchema,
  /** How the asker reaches it. */
  access: z.enum(['owner', 'editor', 'reader', 'community']),
  published: z.boolean(),
  helpfulCount: z.number().int().nonnegative(),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
  /** Edited since the asker last opened it (false for one's own notes). */
  unseen: z.boolean(),
});
export type NoteSummary = z.infer<typeof noteSummarySchema>;

/** One note for its page: the summary, its sharing (owner only), links the asker may see. */
export const noteViewSchema = noteSummarySchema.extend({
  /** null unless the asker is the owner. */
  sharing: noteSharingSchema.nullable(),
  links: z.array(noteMarkLinkSchema),
  helpfulByMe: z.boolean(),
  following: z.boolean(),
  /** Lesson notes: the teacher's profile confirms a certification; null when not a lesson or unknown. */
  teacherCertified: z.boolean().nullable(),
});
export type NoteView = z.infer<typeof noteViewSchema>;
export const noteResponseSchema = z.object({ note: noteViewSchema });

export const sharedWithMeResponseSchema = z.object({
  items: z.array(noteSummarySchema.extend({ sharedBy: publicUserSchema, sharedAt: isoDateSchema })),
  /** How many of them changed since last opened. */
  unseenCount: z.number().int().nonnegative(),
});
export type SharedWithMeResponse = z.infer<typeof sharedWithMeResponseSchema>;

export const notesAboutMarkResponseSchema = z.object({ notes: z.array(noteSummarySchema) });

/** People the owner may share with: partners of their exchanges. */
export const sharePartnersResponseSchema = z.object({ partners: z.array(publicUserSchema) });

// ---------- search ----------

export const NOTE_SCOPES = ['all', 'mine', 'shared', 'community'] as const;
export const MAX_NOTE_QUERY = 200;

/** Query string of GET /api/notes; `all` = everything the asker may read. */
export const noteSearchQuerySchema = z.strictObject({
  q: z.string().trim().max(MAX_NOTE_QUERY, `a search is at most ${MAX_NOTE_QUERY} characters`).default(''),
  scope: z.enum(NOTE_SCOPES).default('all'),
  kind: noteKindSchema.optional(),
  tag: tagSchema.optional(),
  modality: z.enum(MODALITIES).optional(),
  regionId: regionIdSchema.optional(),
  authorId: objectIdSchema.optional(),
  /** relevance needs words; without `q` results are by recency. */
  sort: z.enum(['relevance', 'recent']).default('relevance'),
  page: z.coerce.number().int().min(1).max(1_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
});
export type NoteSearchQuery = z.infer<typeof noteSearchQuerySchema>;

export const noteSearchHitSchema = noteSummarySchema.extend({
  /** The passage around the first match (title or body), plain text; the start of the body without words. */
  snippet: z.string(),
  /** Character ranges of matched words inside `snippet`, for highlighting. */
  highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
});
export type NoteSearchHit = z.infer<typeof noteSearchHitSchema>;

export const noteSearchResponseSchema = z.object({
  items: z.array(noteSearchHitSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type NoteSearchResponse = z.infer<typeof noteSearchResponseSchema>;

// ---------- history ----------

export const MAX_VERSION_NAME = 80;
/** Automatic versions: at most one per this much editing time. */
export const AUTO_VERSION_EVERY_MS = 10 * 60_000;

export const noteVersionSchema = z.object({
  id: z.string(),
  /** null for automatic versions. */
  name: z.string().nullable(),
  auto: z.boolean(),
  createdAt: isoDateSchema,
  /** Who named it; null for automatic versions. */
  createdBy: publicUserSchema.nullable(),
});
export type NoteVersion = z.infer<typeof noteVersionSchema>;
export const noteVersionsResponseSchema = z.object({ versions: z.array(noteVersionSchema) });

export const nameVersionBodySchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'a version needs a name')
    .max(MAX_VERSION_NAME, `a version name is at most ${MAX_VERSION_NAME} characters`),
});

/** A version's content, read-only: plain text of title and body, and Markdown for display. */
export const noteVersionContentSchema = z.object({
  version: noteVersionSchema,
  title: z.string(),
  text: z.string(),
  markdown: z.string(),
});
export const noteVersionResponseSchema = noteVersionContentSchema;

/** A line diff of the version's Markdown against now. */
export const noteDiffPartSchema = z.object({ op: z.enum(['same', 'added', 'removed']), text: z.string() });
export const noteCompareResponseSchema = z.object({
  version: noteVersionSchema,
  then: z.object({ title: z.string(), markdown: z.string() }),
  now: z.object({ title: z.string(), markdown: z.string() }),
  /** `removed`: only in the version; `added`: only now. */
  diff: z.array(noteDiffPartSchema),
});
export type NoteCompareResponse = z.infer<typeof noteCompareResponseSchema>;

// ---------- storage ----------

/**
 * What one person's notes may take in storage: each note's live document and its named versions,
 * all counted against the note's owner (automatic versions are not counted: the server takes them,
 * at most 50 a note, newer ones replacing older). A full note with steps, a few paragraphs and
 * some formatting is 5-20 KB; a therapist writing a few hundred over a career, and naming a version
 * before big rewrites, uses a few MB. 50 MB is ten times that, a hundred notes at the 512 KB
 * limit of one note, while an account can no longer fill gigabytes (30 notes an hour, each up to
 * 512 KB with 100 named versions of up to 512 KB).
 */
export const NOTE_STORAGE_QUOTA_BYTES = 50 * 1024 * 1024;

export const noteStorageUsageSchema = z.object({ usedBytes: z.number().int(), quotaBytes: z.number().int() });
export type NoteStorageUsage = z.infer<typeof noteStorageUsageSchema>;
export const noteStorageResponseSchema = z.object({ storage: noteStorageUsageSchema });

const MB = 1024 * 1024;
/** "120 KB", "3.2 MB", "50 MB": how the server's refusals and the notes page say a size. */
export function storageSize(bytes: number): string {
  return bytes < MB ? `${Math.ceil(Math.max(0, bytes) / 1024)} KB` : `${Number((bytes / MB).toFixed(1))} MB`;
}

// ---------- community reactions ----------

export const helpfulResponseSchema = z.object({ helpfulCount: z.number().int(), helpfulByMe: z.boolean() });

export const MAX_NOTE_COMMENTS = 500;
/**
 * Comments one person other than the note's author may hold in its thread, deleted ones included
 * (they stay as tombstones and count towards MAX_NOTE_COMMENTS): a tenth of the thread, so nobody
 * alone can fill it and leave everyone else unable to ask. 50 is still a long conversation; the
 * author, who answers everyone and could unpublish the note anyway, has no share.
 */
export const MAX_NOTE_COMMENTS_PER_PERSON = 50;
/** Same text rule as a mark's reply. */
export const noteCommentInputSchema = z.strictObject({ text: replyInputSchema.shape.text });
export const noteCommentSchema = z.object({
  id: z.string(),
  author: publicUserSchema,
  text: z.string(),
  createdAt: isoDateSchema,
  editedAt: isoDateSchema.nullable(),
  /** Kept as a tombstone so the conversation still reads. */
  deleted: z.boolean(),
});
export type NoteComment = z.infer<typeof noteCommentSchema>;
export const noteCommentsResponseSchema = z.object({ comments: z.array(noteCommentSchema) });

// ---------- Socket.IO payloads ----------

/** Someone shared a note with you (or changed your role). */
export const noteSharedEventSchema = z.object({
  note: noteSummarySchema,
  by: publicUserSchema,
  role: shareRoleSchema,
});
/** A note you follow was edited (at most one per note per NOTE_EDIT_NOTICE_MS). */
export const noteEditedEventSchema = z.object({
  noteId: objectIdSchema,
  title: z.string(),
  editedBy: z.array(publicUserSchema),
  at: isoDateSchema,
});
/** Your access to a note was revoked or changed (open pages reconnect or say so). */
export const noteAccessChangedEventSchema = z.object({
  noteId: objectIdSchema,
  access: z.enum(['editor', 'reader', 'community', 'none']),
});
export const NOTE_EDIT_NOTICE_MS = 60_000;
