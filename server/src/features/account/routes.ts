import { Router } from 'express';
import { deleteAccountBodySchema } from '@kneadback/shared/schemas/account';
import { currentUser, requireUser } from '../auth/middleware.ts';
import type { AuthService } from '../auth/service.ts';
import { clearSessionCookie } from '../auth/session-cookie.ts';
import type { AccountService } from './service.ts';

export function accountRoutes(auth: AuthService, account: AccountService): Router {
  const router = Router();
  router.use('/account', requireUser(auth));

  router.get('/account/export', async (req, res) => {
    const data = await account.export(currentUser(req));
    const day = data.exportedAt.slice(0, 10);
    res.setHeader('Content-Disposition', `attachment; filename="kneadback-export-${day}.json"`);
    res.json(data);
  });

  router.post('/account/delete', async (req, res) => {
    const { password } = deleteAccountBodySchema.parse(req.body);
    await account.delete(currentUser(req).id, password);
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  return router;
}
