import { Router } from 'express';
import { markThreadReadBodySchema, setStatusBodySchema } from '@kneadback/shared/schemas/debrief';
import { currentUser, requireUser } from '../auth/middleware.ts';
import type { AuthService } from '../auth/service.ts';
import type { DebriefService } from './service.ts';

export function debriefRoutes(auth: AuthService, debriefs: DebriefService): Router {
  const router = Router();
  router.use('/debriefs', requireUser(auth));

  router.get('/debriefs/:id/carried-forward', async (req, res) => {
    res.json({ items: await debriefs.carriedForward(currentUser(req).id, req.params.id) });
  });

  router.post('/debriefs/:id/annotations/:annotationId/status', async (req, res) => {
    const { status } = setStatusBodySchema.parse(req.body);
    await debriefs.setStatus(currentUser(req).id, req.params.id, req.params.annotationId, status);
    res.status(204).end();
  });

  router.get('/debriefs/:id/reads', async (req, res) => {
    res.json({ reads: await debriefs.reads(currentUser(req).id, req.params.id) });
  });

  router.put('/debriefs/:id/reads', async (req, res) => {
    const { annotationId } = markThreadReadBodySchema.parse(req.body);
    await debriefs.markRead(currentUser(req).id, req.params.id, annotationId);
    res.status(204).end();
  });

  return router;
}
