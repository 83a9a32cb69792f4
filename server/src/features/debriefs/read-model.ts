import { Schema, type Connection } from 'mongoose';

/** When a person last looked at each thread: the basis of unread markers. */
const threadReadSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    debriefId: { type: Schema.Types.ObjectId, required: true },
    annotationId: { type: String, required: true },
    seenAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'thread_reads' },
);
threadReadSchema.index({ userId: 1, debriefId: 1, annotationId: 1 }, { unique: true });

export function threadReadModel(connection: Connection) {
  return connection.model('ThreadRead', threadReadSchema);
}
export type ThreadReadModel = ReturnType<typeof threadReadModel>;
