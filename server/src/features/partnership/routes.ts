import { Router } from 'express';
import { currentUser, requireUser } from '../auth/middleware.ts';
import type { AuthService } from '../auth/service.ts';
import type { RhythmService } from './rhythm-service.ts';
import type { VouchingService } from './vouching-service.ts';

export function partnershipRoutes(auth: AuthService, rhythm: RhythmService, vouching: VouchingService): Router {
  const router = Router();
  for (const base of ['/rhythm', '/partners', '/users']) router.use(base, requireUser(auth));

  router.get('/rhythm', async (req, res) => {
    res.json({ rhythm: await rhythm.rhythm(currentUser(req).id) });
  });

  router.put('/rhythm/settings', async (req, res) => {
    res.json({ settings: await rhythm.updateSettings(currentUser(req).id, req.body) });
  });

  router.get('/partners/:userId/ledger', async (req, res) => {
    res.json({ ledger: await rhythm.ledger(currentUser(req).id, req.params.userId) });
  });

  router.get('/partners/:userId/referrals', async (req, res) => {
    res.json({ referrals: await vouching.referrals(currentUser(req).id, req.params.userId) });
  });

  router.post('/partners/:userId/referrals', async (req, res) => {
    res.status(201).json({ referral: await vouching.refer(currentUser(req).id, req.params.userId, req.body) });
  });

  router.post('/partners/:userId/endorsements', async (req, res) => {
    res.status(201).json({ endorsement: await vouching.endorse(currentUser(req).id, req.params.userId, req.body) });
  });

  router.delete('/partners/:userId/endorsements/:modality', async (req, res) => {
    await vouching.withdrawEndorsement(currentUser(req).id, req.params.userId, req.params.modality);
    res.status(204).end();
  });

  router.get('/users/:userId/endorsements', async (req, res) => {
    res.json({ endorsements: await vouching.endorsementsOf(currentUser(req), req.params.userId) });
  });

  return router;
}
