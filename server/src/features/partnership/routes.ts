import { Router } from 'express';
import { currentUser, requireUser } from '../auth/middleware.ts';
import type { AuthService } from '../auth/service.ts';
import type { PartnershipService } from './service.ts';

export function partnershipRoutes(auth: AuthService, partnership: PartnershipService): Router {
  const router = Router();
  for (const base of ['/rhythm', '/partners', '/users']) router.use(base, requireUser(auth));

  router.get('/rhythm', async (req, res) => {
    res.json({ rhythm: await partnership.rhythm(currentUser(req).id) });
  });

  router.put('/rhythm/settings', async (req, res) => {
    res.json({ settings: await partnership.updateSettings(currentUser(req).id, req.body) });
  });

  router.get('/partners/:userId/ledger', async (req, res) => {
    res.json({ ledger: await partnership.ledger(currentUser(req).id, req.params.userId) });
  });

  router.get('/partners/:userId/referrals', async (req, res) => {
    res.json({ referrals: await partnership.referrals(currentUser(req).id, req.params.userId) });
  });

  router.post('/partners/:userId/referrals', async (req, res) => {
    res.status(201).json({ referral: await partnership.refer(currentUser(req).id, req.params.userId, req.body) });
  });

  router.post('/partners/:userId/endorsements', async (req, res) => {
    res.status(201).json({ endorsement: await partnership.endorse(currentUser(req).id, req.params.userId, req.body) });
  });

  router.delete('/partners/:userId/endorsements/:modality', async (req, res) => {
    await partnership.withdrawEndorsement(currentUser(req).id, req.params.userId, req.params.modality);
    res.status(204).end();
  });

  router.get('/users/:userId/endorsements', async (req, res) => {
    res.json({ endorsements: await partnership.endorsementsOf(req.params.userId) });
  });

  return router;
}
