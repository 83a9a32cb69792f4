import { Router } from 'express';
import { loginBodySchema, profileUpdateBodySchema, signupBodySchema } from '@kneadback/shared/schemas/user';
import { currentUser, requireUser } from './middleware.ts';
import type { AuthService } from './service.ts';
import { clearSessionCookie, sessionTokenFromCookieHeader, setSessionCookie } from './session-cookie.ts';

export function authRoutes(auth: AuthService): Router {
  const router = Router();

  router.post('/auth/signup', async (req, res) => {
    const body = signupBodySchema.parse(req.body);
    const { user, token } = await auth.signup(body, req.ip ?? 'unknown');
    setSessionCookie(req, res, token);
    res.status(201).json({ user });
  });

  router.post('/auth/login', async (req, res) => {
    const body = loginBodySchema.parse(req.body);
    const { user, token } = await auth.login(body, req.ip ?? 'unknown');
    setSessionCookie(req, res, token);
    res.json({ user });
  });

  router.post('/auth/logout', async (req, res) => {
    await auth.logout(sessionTokenFromCookieHeader(req.headers.cookie));
    clearSessionCookie(req, res);
    res.status(204).end();
  });

  router.get('/auth/me', requireUser(auth), (req, res) => {
    res.json({ user: currentUser(req) });
  });

  router.patch('/auth/me', requireUser(auth), async (req, res) => {
    const body = profileUpdateBodySchema.parse(req.body);
    res.json({ user: await auth.updateProfile(currentUser(req).id, body) });
  });

  return router;
}
