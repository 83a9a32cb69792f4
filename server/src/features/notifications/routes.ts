import { Router } from 'express';
import { markNotificationsReadBodySchema } from '@kneadback/shared/schemas/notification';
import { currentUser, requireUser } from '../auth/middleware.ts';
import type { AuthService } from '../auth/service.ts';
import type { NotificationService } from './service.ts';

export function notificationRoutes(auth: AuthService, notifications: NotificationService): Router {
  const router = Router();
  router.use('/notifications', requireUser(auth));

  router.get('/notifications', async (req, res) => {
    res.json(await notifications.list(currentUser(req).id));
  });

  router.post('/notifications/read', async (req, res) => {
    const body = markNotificationsReadBodySchema.parse(req.body);
    res.json(await notifications.markRead({ userId: currentUser(req).id, address: req.ip ?? 'unknown' }, body));
  });

  return router;
}
