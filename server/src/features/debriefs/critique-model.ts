import { Schema, type Connection, type InferSchemaType } from 'mongoose';
import { ANNOTATION_STATUSES, CATEGORIES, PRESSURE_VERDICTS } from '@kneadback/shared/vocabulary';

const threadEntrySchema = new Schema(
  {
    id: { type: String, required: true },
    authorId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true },
    text: { type: String, default: '' },
    createdAt: { type: Date, required: true },
    editedAt: { type: Date, default: null },
    deleted: { type: Boolean, default: false },
  },
  { _id: false },
);

/**
 * The queryable record of one annotation, kept in step with its debrief's Yjs document by the
 * projector. The document stays the source of truth; this is what Review searches.
 */
const critiqueSchema = new Schema(
  {
    _id: { type: String, required: true }, // `${debriefId}:${annotationId}`
    debriefId: { type: Schema.Types.ObjectId, required: true },
    annotationId: { type: String, required: true },
    exchangeDate: { type: String, required: true },
    giverId: { type: Schema.Types.ObjectId, required: true },
    receiverId: { type: Schema.Types.ObjectId, default: null },
    authorId: { type: Schema.Types.ObjectId, required: true },
    round: { type: Number, required: true },
    category: { type: String, enum: CATEGORIES, required: true },
    view: { type: String, required: true },
    regionId: { type: String, required: true },
    x: { type: Number, required: true },
    y: { type: Number, required: true },
    pressure: { type: Number, default: null },
    verdict: { type: String, enum: [...PRESSURE_VERDICTS, null], default: null },
    wanted: { type: Number, default: null },
    tags: { type: [String], default: [] },
    text: { type: String, default: '' },
    status: { type: String, enum: ANNOTATION_STATUSES, required: true },
    statusChangedBy: { type: Schema.Types.ObjectId, default: null },
    statusChangedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    thread: { type: [threadEntrySchema], default: [] },
    replyCount: { type: Number, default: 0 },
    /** Fingerprint of the projected values: unchanged annotations are not rewritten. */
    hash: { type: String, required: true },
  },
  { versionKey: false, collection: 'critiques' },
);
critiqueSchema.index({ debriefId: 1 });
critiqueSchema.index({ giverId: 1, createdAt: -1 });
critiqueSchema.index({ receiverId: 1, createdAt: -1 });

export type CritiqueRecord = InferSchemaType<typeof critiqueSchema>;

export function critiqueModel(connection: Connection) {
  return connection.model('Critique', critiqueSchema);
}
export type CritiqueModel = ReturnType<typeof critiqueModel>;

/** Per debrief: the fingerprint of every projected annotation and the thread entries seen. */
const projectionStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    hashes: { type: Schema.Types.Mixed, default: {} },
    threadIds: { type: [String], default: [] },
  },
  { versionKey: false, collection: 'critique_projections', minimize: false },
);

export function projectionStateModel(connection: Connection) {
  return connection.model('CritiqueProjection', projectionStateSchema);
}
export type ProjectionStateModel = ReturnType<typeof projectionStateModel>;
