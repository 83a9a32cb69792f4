import { Router } from 'express';
import { joinExchangeBodySchema } from '@kneadback/shared/schemas/exchange';
import { currentUser, requireUser } from '../auth/middleware.ts';
import type { AuthService } from '../auth/service.ts';
import type { ExchangeService } from './service.ts';

export function exchangeRoutes(auth: AuthService, exchanges: ExchangeService): Router {
  const router = Router();
  router.use('/exchanges', requireUser(auth));

  router.get('/exchanges', async (req, res) => {
    res.json({ exchanges: await exchanges.listFor(currentUser(req).id) });
  });

  router.post('/exchanges', async (req, res) => {
    const creator = { userId: currentUser(req).id, address: req.ip ?? 'unknown' };
    res.status(201).json({ exchange: await exchanges.create(creator, req.body) });
  });

  router.post('/exchanges/join', async (req, res) => {
    const { inviteToken } = joinExchangeBodySchema.parse(req.body);
    res.json({ exchange: await exchanges.join(currentUser(req).id, inviteToken) });
  });

  router.delete('/exchanges/:id/invite', async (req, res) => {
    res.json({ exchange: await exchanges.revokeInvite(currentUser(req).id, req.params.id) });
  });

  router.get('/exchanges/:id', async (req, res) => {
    res.json({ exchange: await exchanges.getFor(currentUser(req).id, req.params.id) });
  });

  return router;
}
