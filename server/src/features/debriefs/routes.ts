import { Router } from 'express';
import { readAnnotation, setAnnotationStatus } from '@kneadback/shared/docs/debrief-doc';
import { SERVER_ORIGIN } from '@kneadback/shared/docs/origins';
import { markThreadReadBodySchema, setStatusBodySchema } from '@kneadback/shared/schemas/debrief';
import type { CollabHub } from '../../collab/hub.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { currentUser, requireUser } from '../auth/middleware.ts';
import type { AuthService } from '../auth/service.ts';
import type { ExchangeService } from '../exchanges/service.ts';
import type { ReviewService } from '../review/service.ts';
import { MAX_READ_MARKERS, type ThreadReads } from './read-model.ts';

export function debriefRoutes(deps: {
  auth: AuthService;
  exchanges: ExchangeService;
  review: ReviewService;
  collab: CollabHub;
  threadReads: ThreadReads;
}): Router {
  const router = Router();
  router.use('/debriefs', requireUser(deps.auth));

  const requirePartner = async (userId: string, debriefId: string) => {
    if ((await deps.exchanges.access(userId, debriefId)) !== 'allowed') throw notFound('debrief');
  };

  /** Last time's unresolved critiques between the same partners, to check at this debrief. */
  router.get('/debriefs/:id/carried-forward', async (req, res) => {
    const user = currentUser(req);
    await requirePartner(user.id, req.params.id);
    const earlier = await deps.exchanges.earlierBetween(user.id, req.params.id);
    res.json({ items: await deps.review.openIn(user.id, earlier) });
  });

  /** Resolve or reopen a mark of a debrief that may not be open in anyone's browser. */
  router.post('/debriefs/:id/annotations/:annotationId/status', async (req, res) => {
    const user = currentUser(req);
    const { status } = setStatusBodySchema.parse(req.body);
    await requirePartner(user.id, req.params.id);
    let found = true;
    await deps.collab.edit(req.params.id, (doc) => {
      if (!readAnnotation(doc, req.params.annotationId)) {
        found = false;
        return;
      }
      setAnnotationStatus(doc, req.params.annotationId, status, user.id, { origin: SERVER_ORIGIN });
    });
    if (!found) throw new AppError(404, 'not_found', 'that mark no longer exists');
    res.status(204).end();
  });

  router.get('/debriefs/:id/reads', async (req, res) => {
    const user = currentUser(req);
    await requirePartner(user.id, req.params.id);
    const seen = await deps.threadReads.of(user.id, req.params.id);
    res.json({ reads: Object.fromEntries(Object.entries(seen).map(([id, at]) => [id, at.toISOString()])) });
  });

  router.put('/debriefs/:id/reads', async (req, res) => {
    const user = currentUser(req);
    const { annotationId } = markThreadReadBodySchema.parse(req.body);
    await requirePartner(user.id, req.params.id);
    if (!(await deps.threadReads.mark(user.id, req.params.id, annotationId))) {
      throw new AppError(409, 'too_many_read_markers', `a debrief keeps at most ${MAX_READ_MARKERS} read markers`);
    }
    res.status(204).end();
  });

  return router;
}
