import { Router } from 'express';
import { reviewFilterSchema, reviewListQuerySchema } from '@kneadback/shared/schemas/review';
import { currentUser, requireUser } from '../auth/middleware.ts';
import type { AuthService } from '../auth/service.ts';
import type { ReviewService } from './service.ts';

export function reviewRoutes(auth: AuthService, review: ReviewService): Router {
  const router = Router();
  router.use('/review', requireUser(auth));

  router.get('/review/critiques', async (req, res) => {
    const query = reviewListQuerySchema.parse(req.query);
    res.json(await review.list(currentUser(req).id, query));
  });

  router.get('/review/patterns', async (req, res) => {
    const filter = reviewFilterSchema.parse(req.query);
    res.json(await review.patterns(currentUser(req).id, filter));
  });

  router.get('/review/partners', async (req, res) => {
    res.json(await review.partners(currentUser(req).id));
  });

  return router;
}
