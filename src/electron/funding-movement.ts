import { EntityReader } from '../platform/read/entity-reader.ts';
import type { FastifyRequest } from 'fastify';
import { errors } from '../platform/http/errors.ts';
import type { StoredRecord } from '../platform/entity/store.ts';
import { requesterOf, requireProgramRole } from './access.ts';
import { atProcessor, type Electron } from './context.ts';
import { fundingFacts } from './funding-facts.ts';
import type { MovementRow } from './movements.ts';
import { PROGRAM_CURRENCY } from './money.ts';
import type { CardLink } from './records.ts';

export interface FundingMovement {
  funding: StoredRecord;
  link: CardLink;
  row: MovementRow;
}

/**
 * Finds or makes the movement of a funding and drives it as far as it goes now. Once per
 * funding: asked again, it answers the movement already made (finishing it if its first driver
 * died), so loads, unloads and ACH fundings are idempotent on nucleus_funding_id.
 */
export async function driveFunding(
  electron: Electron,
  request: FastifyRequest,
  kind: 'load' | 'unload' | 'ach',
  fundingId: string,
  detail: (funding: StoredRecord) => Promise<Record<string, unknown>>,
): Promise<FundingMovement> {
  const { auth } = request;
  requireProgramRole(auth, 'funding', 'write');
  const funding = await EntityReader.asCaller(electron.nucleus, auth).get('funding', fundingId);
  const facts = fundingFacts(funding, kind);
  const card = await EntityReader.asCaller(electron.nucleus, auth).get('card', facts.cardId);
  const link = await electron.records.card(auth.tenantId, card.id);
  if (!link) throw errors.cardNotIssued({ reason: `Card ${card.id} of funding ${funding.id} has not been issued at a processor yet; issue it with POST /card/issue` });
  const opened = await electron.movements.open(auth.tenantId, {
    kind,
    fundingId: funding.id,
    cardId: card.id,
    processor: link.processor,
    vendorCardId: link.vendor_card_id,
    amountMinor: facts.amountMinor,
    currency: PROGRAM_CURRENCY,
    detail: await detail(funding),
    requestedBy: requesterOf(request),
  });
  const { row, job } = opened;
  if (row.kind !== kind) throw errors.fundingAlreadyUsed({ reason: `Funding ${funding.id} was already used for a card ${row.kind}` });
  if (!job) {
    if (row.state === 'recorded' || row.state === 'pending') return { funding, link, row };
    throw errors.fundingInProgress({ reason: `Funding ${funding.id} is being processed by another request; ask again in a moment` });
  }
  const advanced = await atProcessor(`Card ${card.id}`, () => electron.drive(job, row));
  if (!('row' in advanced)) throw new Error('a funding movement was declined like a purchase');
  return { funding, link, row: advanced.row };
}
