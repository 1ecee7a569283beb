import { CreateUserBody, IdParams, UserPatchBody } from '@parley/protocol';
import { Router } from 'express';
import { createUser } from '../../services/auth.js';
import type { Context } from '../../context.js';
import { listUsers, patchUser } from '../../services/users.js';
import { agentOf, authenticate } from '../auth.js';
import { parse } from '../validate.js';

export function userRoutes(ctx: Context): Router {
  const router = Router();

  // Every agent sees the team (transfer targets, statuses); only admins change it.
  router.get('/', authenticate(ctx, 'agent'), async (_req, res) => {
    res.json({ items: await listUsers(ctx) });
  });

  router.post('/', authenticate(ctx, 'admin'), async (req, res) => {
    const body = parse(CreateUserBody, req.body);
    res.status(201).json({ user: await createUser(ctx, agentOf(res), body) });
  });

  router.patch('/:id', authenticate(ctx, 'admin'), async (req, res) => {
    const { id } = parse(IdParams, req.params);
    const body = parse(UserPatchBody, req.body);
    res.json({ user: await patchUser(ctx, agentOf(res), id, body) });
  });

  return router;
}
