import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { NOTIFICATION_KINDS } from '@kneadback/shared/schemas/notification';

const notificationSchema = new Schema({
  userId: { type: Schema.Types.ObjectId, required: true },
  kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
  actorId: { type: Schema.Types.ObjectId, required: true },
  actorName: { type: String, required: true },
  exchangeId: { type: Schema.Types.ObjectId, required: true },
  annotationId: { type: String, default: null },
  text: { type: String, required: true },
  createdAt: { type: Date, required: true },
  readAt: { type: Date, default: null },
});
notificationSchema.index({ userId: 1, createdAt: -1 });
notificationSchema.index({ userId: 1, readAt: 1 });

export type NotificationModel = Model<InferSchemaType<typeof notificationSchema>>;

export function notificationModel(connection: Connection): NotificationModel {
  return connection.model('Notification', notificationSchema);
}
