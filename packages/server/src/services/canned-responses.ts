import type { CannedResponse, CannedResponseBody, CannedResponsePatchBody } from '@parley/protocol';
import {
  deleteCannedResponse as deleteRow,
  findCannedResponse,
  insertCannedResponse,
  listCannedResponses as listRows,
  toCannedResponse,
  updateCannedResponse,
} from '../db/canned-responses.js';
import { isUniqueViolation } from '../db/errors.js';
import { conflict, forbidden, notFound } from '../errors.js';
import type { AgentActor } from './actor.js';
import type { Context } from '../context.js';

const shortcutTaken = () => conflict('This shortcut is taken');

export async function listCannedResponses(ctx: Context): Promise<CannedResponse[]> {
  return (await listRows(ctx.db)).map(toCannedResponse);
}

export async function createCannedResponse(
  ctx: Context,
  actor: AgentActor,
  body: CannedResponseBody,
): Promise<CannedResponse> {
  const row = await insertCannedResponse(ctx.db, {
    ...body,
    category: body.category ?? null,
    createdBy: actor.id,
  });
  if (!row) throw shortcutTaken();
  return toCannedResponse(row);
}

/** Agents change their own canned responses; admins change all. */
async function editable(ctx: Context, actor: AgentActor, id: string) {
  const row = await findCannedResponse(ctx.db, id);
  if (!row) throw notFound('Canned response');
  if (actor.role !== 'admin' && row.createdBy !== actor.id) {
    throw forbidden('Only its author or an admin can change this canned response');
  }
  return row;
}

export async function patchCannedResponse(
  ctx: Context,
  actor: AgentActor,
  id: string,
  body: CannedResponsePatchBody,
): Promise<CannedResponse> {
  await editable(ctx, actor, id);
  const row = await updateCannedResponse(ctx.db, id, body).catch((error: unknown) => {
    throw isUniqueViolation(error) ? shortcutTaken() : error;
  });
  if (!row) throw notFound('Canned response');
  return toCannedResponse(row);
}

export async function deleteCannedResponse(
  ctx: Context,
  actor: AgentActor,
  id: string,
): Promise<void> {
  await editable(ctx, actor, id);
  await deleteRow(ctx.db, id);
}
