import { Router } from 'express';
import { blockBodySchema } from '@kneadback/shared/schemas/block';
import { partnerSearchQuerySchema, photoBodySchema, profileBodySchema } from '@kneadback/shared/schemas/profile';
import { currentUser, requireUser } from '../auth/middleware.ts';
import type { AuthService } from '../auth/service.ts';
import type { BlockService } from './blocks.ts';
import type { ProfileService } from './service.ts';

export function profileRoutes(auth: AuthService, profiles: ProfileService, blocks: BlockService): Router {
  const router = Router();
  router.use(['/profiles', '/partners', '/blocks'], requireUser(auth));

  router.get('/profiles/me', async (req, res) => {
    res.json({ profile: await profiles.own(currentUser(req)) });
  });

  router.put('/profiles/me', async (req, res) => {
    const body = profileBodySchema.parse(req.body);
    res.json({ profile: await profiles.update(currentUser(req).id, body) });
  });

  router.put('/profiles/me/photo', async (req, res) => {
    const { dataUrl } = photoBodySchema.parse(req.body);
    res.json({ photoVersion: await profiles.setPhoto(currentUser(req).id, dataUrl) });
  });

  router.delete('/profiles/me/photo', async (req, res) => {
    await profiles.removePhoto(currentUser(req).id);
    res.status(204).end();
  });

  router.get('/profiles/:userId/photo', async (req, res) => {
    const { type, data } = await profiles.photo(currentUser(req), req.params.userId);
    // only ever one of the image types decodePhoto let in, never sniffed, never run as a page
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, max-age=3600'); // URLs carry the photo's version
    res.end(data);
  });

  router.get('/profiles/:userId', async (req, res) => {
    res.json({ profile: await profiles.view(currentUser(req), req.params.userId) });
  });

  router.get('/partners', async (req, res) => {
    const query = partnerSearchQuerySchema.parse(req.query);
    res.json(await profiles.search(currentUser(req), query));
  });

  router.get('/blocks', async (req, res) => {
    res.json({ blocked: await blocks.list(currentUser(req).id) });
  });

  router.post('/blocks', async (req, res) => {
    const { userId } = blockBodySchema.parse(req.body);
    await blocks.block(currentUser(req).id, userId);
    res.status(204).end();
  });

  router.delete('/blocks/:userId', async (req, res) => {
    await blocks.unblock(currentUser(req).id, req.params.userId);
    res.status(204).end();
  });

  return router;
}
