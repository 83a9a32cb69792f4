import type { RequestHandler, Request } from 'express';
import type { CurrentUser } from '@kneadback/shared/schemas/user';
import { AppError } from '../../http/errors.ts';
import type { AuthService } from './service.ts';
import { sessionTokenFromCookieHeader } from './session-cookie.ts';

const USER = Symbol('user');

export function requireUser(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const user = await auth.userForToken(sessionTokenFromCookieHeader(req.headers.cookie));
    if (!user) return next(new AppError(401, 'not_signed_in', 'please sign in'));
    (req as Request & { [USER]: CurrentUser })[USER] = user;
    next();
  };
}

/** The signed-in user; only valid behind requireUser. */
export function currentUser(req: Request): CurrentUser {
  const user = (req as Request & { [USER]?: CurrentUser })[USER];
  if (!user) throw new AppError(401, 'not_signed_in', 'please sign in');
  return user;
}
