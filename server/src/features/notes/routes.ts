import { Router, type Request } from 'express';
import { z } from 'zod';
import { objectIdSchema } from '@kneadback/shared/schemas/common';
import {
  createNoteBodySchema,
  linkMarkBodySchema,
  nameVersionBodySchema,
  noteCommentInputSchema,
  noteSearchQuerySchema,
  publishNoteBodySchema,
  shareNoteBodySchema,
} from '@kneadback/shared/schemas/note';
import { currentUser, requireUser } from '../auth/middleware.ts';
import type { AuthService } from '../auth/service.ts';
import type { NoteCommunity } from './community.ts';
import type { NoteHistory } from './history.ts';
import type { NoteService } from './service.ts';
import type { NoteStorage } from './storage.ts';

/** HTTP for technique notes (docs/api.md): parse, ask the services, answer. */
export function noteRoutes(deps: {
  auth: AuthService;
  notes: NoteService;
  history: NoteHistory;
  community: NoteCommunity;
  storage: NoteStorage;
}): Router {
  const { notes, history, community, storage } = deps;
  const router = Router();
  router.use('/notes', requireUser(deps.auth));
  const me = (req: Request) => currentUser(req);
  // an id that is no note's is simply not found, like any other
  const noteId = (req: Request) => req.params.id as string;
  const userIdParam = (req: Request) => z.object({ userId: objectIdSchema }).parse(req.params).userId;

  router.post('/notes', async (req, res) => {
    const body = createNoteBodySchema.parse(req.body);
    res.status(201).json({ note: await notes.create(me(req), req.ip ?? 'unknown', body) });
  });
  router.get('/notes', async (req, res) => {
    res.json(await notes.search(me(req).id, noteSearchQuerySchema.parse(req.query)));
  });
  router.get('/notes/storage', async (req, res) => {
    res.json({ storage: await storage.usage(me(req).id) });
  });
  router.get('/notes/shared-with-me', async (req, res) => {
    res.json(await notes.sharedWithMe(me(req).id));
  });
  router.get('/notes/share-partners', async (req, res) => {
    res.json({ partners: await notes.sharePartners(me(req).id) });
  });
  router.get('/notes/about-mark/:exchangeId/:markId', async (req, res) => {
    const { exchangeId, markId } = linkMarkBodySchema.parse(req.params);
    res.json({ notes: await notes.aboutMark(me(req).id, exchangeId, markId) });
  });

  router.get('/notes/:id', async (req, res) => {
    res.json({ note: await notes.view(me(req).id, noteId(req)) });
  });
  router.post('/notes/:id/opened', async (req, res) => {
    await notes.opened(me(req).id, noteId(req));
    res.status(204).end();
  });
  router.put('/notes/:id/follow', async (req, res) => {
    await notes.follow(me(req).id, noteId(req), true);
    res.status(204).end();
  });
  router.delete('/notes/:id/follow', async (req, res) => {
    await notes.follow(me(req).id, noteId(req), false);
    res.status(204).end();
  });

  router.put('/notes/:id/shares/:userId', async (req, res) => {
    const { role } = shareNoteBodySchema.parse(req.body);
    const target = userIdParam(req);
    res.json({ sharing: await notes.share(me(req), noteId(req), target, role) });
  });
  router.delete('/notes/:id/shares/:userId', async (req, res) => {
    const target = userIdParam(req);
    res.json({ sharing: await notes.unshare(me(req).id, noteId(req), target) });
  });
  router.put('/notes/:id/community', async (req, res) => {
    const { published } = publishNoteBodySchema.parse(req.body);
    res.json({ sharing: await notes.publish(me(req).id, noteId(req), published) });
  });

  router.post('/notes/:id/links', async (req, res) => {
    const target = linkMarkBodySchema.parse(req.body);
    res.status(201).json({ link: await notes.linkMark(me(req).id, noteId(req), target) });
  });
  router.delete('/notes/:id/links/:linkId', async (req, res) => {
    await notes.unlink(me(req).id, noteId(req), req.params.linkId);
    res.status(204).end();
  });

  router.get('/notes/:id/versions', async (req, res) => {
    res.json({ versions: await history.list(me(req).id, noteId(req)) });
  });
  router.post('/notes/:id/versions', async (req, res) => {
    const { name } = nameVersionBodySchema.parse(req.body);
    res.status(201).json({ version: await history.name(me(req).id, noteId(req), name) });
  });
  router.get('/notes/:id/versions/:versionId', async (req, res) => {
    res.json(await history.read(me(req).id, noteId(req), req.params.versionId));
  });
  router.delete('/notes/:id/versions/:versionId', async (req, res) => {
    await history.remove(me(req).id, noteId(req), req.params.versionId);
    res.status(204).end();
  });
  router.get('/notes/:id/versions/:versionId/compare', async (req, res) => {
    res.json(await history.compare(me(req).id, noteId(req), req.params.versionId));
  });
  router.post('/notes/:id/versions/:versionId/restore', async (req, res) => {
    await history.restore(me(req).id, noteId(req), req.params.versionId);
    res.status(204).end();
  });

  router.get('/notes/:id/markdown', async (req, res) => {
    const { filename, markdown } = await notes.markdown(me(req).id, noteId(req));
    res.setHeader('Content-Type', 'text/markdown; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`);
    res.send(markdown);
  });

  router.put('/notes/:id/helpful', async (req, res) => {
    res.json(await community.helpful(me(req).id, noteId(req), true));
  });
  router.delete('/notes/:id/helpful', async (req, res) => {
    res.json(await community.helpful(me(req).id, noteId(req), false));
  });
  router.get('/notes/:id/comments', async (req, res) => {
    res.json({ comments: await community.comments(me(req).id, noteId(req)) });
  });
  router.post('/notes/:id/comments', async (req, res) => {
    const { text } = noteCommentInputSchema.parse(req.body);
    res.status(201).json({ comment: await community.comment(me(req).id, noteId(req), text) });
  });
  router.patch('/notes/:id/comments/:commentId', async (req, res) => {
    const { text } = noteCommentInputSchema.parse(req.body);
    res.json({ comment: await community.edit(me(req).id, noteId(req), req.params.commentId, text) });
  });
  router.delete('/notes/:id/comments/:commentId', async (req, res) => {
    await community.edit(me(req).id, noteId(req), req.params.commentId, null);
    res.status(204).end();
  });

  return router;
}
