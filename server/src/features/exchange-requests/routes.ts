import { Router } from 'express';
import { currentUser, requireUser } from '../auth/middleware.ts';
import type { AuthService } from '../auth/service.ts';
import type { ExchangeRequestService } from './service.ts';

export function exchangeRequestRoutes(auth: AuthService, requests: ExchangeRequestService): Router {
  const router = Router();
  router.use('/exchange-requests', requireUser(auth));

  router.get('/exchange-requests', async (req, res) => {
    res.json({ requests: await requests.list(currentUser(req).id) });
  });

  router.post('/exchange-requests', async (req, res) => {
    const sender = { userId: currentUser(req).id, address: req.ip ?? 'unknown' };
    res.status(201).json({ request: await requests.create(sender, req.body) });
  });

  router.get('/exchange-requests/:id', async (req, res) => {
    res.json({ request: await requests.get(currentUser(req).id, req.params.id) });
  });

  router.post('/exchange-requests/:id/accept', async (req, res) => {
    res.json({ request: await requests.accept(currentUser(req).id, req.params.id) });
  });

  router.post('/exchange-requests/:id/decline', async (req, res) => {
    res.json({ request: await requests.decline(currentUser(req).id, req.params.id) });
  });

  router.post('/exchange-requests/:id/counter', async (req, res) => {
    res.json({ request: await requests.counter(currentUser(req).id, req.params.id, req.body) });
  });

  router.post('/exchange-requests/:id/cancel', async (req, res) => {
    res.json({ request: await requests.cancel(currentUser(req).id, req.params.id, req.body) });
  });

  return router;
}
