import { EntityReader } from '../platform/read/entity-reader.ts';
import type { TypedRoutes } from '../platform/http/typed-routes.ts';
import { errors } from '../platform/http/errors.ts';
import type { AuthContext } from '../platform/auth/tokens.ts';
import type { StoredRecord } from '../platform/entity/store.ts';
import { errorResponses } from '../platform/openapi/shared-schemas.ts';
import { electronOrigin, requesterOf, requireProgramRole } from './access.ts';
import { atProcessor, type Electron } from './context.ts';
import type { CardTransition, IssuedCard } from './processor.ts';
import type { CardLink } from './records.ts';
import { BaseResponse, CardBaseRequest, CardReplaceResponse } from './schemas.ts';

/** What a card's Nucleus record says once the processor has acted. */
function nucleusCardFields(state: string, issued?: Pick<IssuedCard, 'lastFour' | 'expiryDate'>): Record<string, unknown> {
  return {
    status: state,
    is_active: state !== 'closed',
    ...(issued ? { mask: issued.lastFour, expiry_date: issued.expiryDate } : {}),
  };
}

/** A card's own fields, for the copy that replaces it; its processor particulars are the new card's. */
function successorBody(card: StoredRecord): Record<string, unknown> {
  const { id, create_date, update_date, secondary_id, status, mask, expiry_date, metadata, ...own } = card;
  return { ...own, metadata: { ...(metadata as Record<string, string> | undefined), replaces_card_id: id } };
}

const TRANSITIONS: { path: string; transition: CardTransition; operationId: string; summary: string; done: string }[] = [
  { path: '/card/suspend', transition: 'suspend', operationId: 'createCardSuspendUsingPost', summary: 'Suspend an active card', done: 'suspended' },
  { path: '/card/reactivate', transition: 'activate', operationId: 'createCardReactivateUsingPost', summary: 'Activate an issued card, or reactivate a suspended one', done: 'active' },
  { path: '/card/close', transition: 'close', operationId: 'createCardCloseUsingPost', summary: 'Close a card for good (its balance must be zero)', done: 'closed' },
];

export function cardRoutes(app: TypedRoutes, electron: Electron): void {
  const { nucleus, records, processors, writer } = electron;

  async function issuedCard(auth: AuthContext, cardId: string): Promise<{ card: StoredRecord; link: CardLink }> {
    requireProgramRole(auth, 'card', 'write');
    const card = await EntityReader.asCaller(nucleus, auth).get('card', cardId);
    const link = await records.card(auth.tenantId, card.id);
    if (!link) throw errors.cardNotIssued({ reason: `Card ${card.id} has not been issued at a processor yet; issue it with POST /card/issue` });
    return { card, link };
  }

  app.post('/card/issue', {
    config: { errors: [errors.notFound, errors.invalidField, errors.invalidCardState, errors.notACardholder, errors.unknownCardholder, errors.processorUnavailable] },
    schema: {
      tags: ['Electron'],
      summary: 'Issue a Nucleus card at the processor',
      description: "The card's client must be a cardholder. The card's Nucleus record gets status issued, its last four digits (mask) and expiry_date.",
      operationId: 'createCardIssueUsingPost',
      body: CardBaseRequest,
      response: { 200: BaseResponse, ...errorResponses },
    },
    handler: async (request) => {
      const { auth } = request;
      const body = request.body;
      requireProgramRole(auth, 'card', 'write');
      const card = await EntityReader.asCaller(nucleus, auth).get('card', body.nucleus_card_id);
      const existing = await records.card(auth.tenantId, card.id);
      if (existing) throw errors.invalidCardState({ reason: `Card ${card.id} is already issued; it is ${existing.state}` });
      if (typeof card.client_id !== 'string') throw errors.invalidField({ field: 'nucleus_card_id', problem: `card ${card.id} names no client_id; cards are issued to a client's cardholder` });
      const holder = await records.cardholder(auth.tenantId, card.client_id);
      if (!holder) throw errors.notACardholder({ reason: `Client ${card.client_id} of card ${card.id} is not a cardholder yet; make it one with POST /card/client` });
      const processor = processors.named(holder.processor);
      const issued = await atProcessor(`Card ${card.id}`, () => processor.issueCard(auth.tenantId, holder.vendor_cardholder_id, body.vendor_request));
      const link = { nucleus_card_id: card.id, processor: processor.name, vendor_card_id: issued.cardId, last_four: issued.lastFour, expiry_date: issued.expiryDate, state: issued.state, replaced_by_card_id: null, replaces_card_id: null };
      if (!(await records.addCard(auth.tenantId, link))) {
        // Another request issued it meanwhile; the card made here must not stay live at the processor.
        await processor.changeCardState(auth.tenantId, issued.cardId, 'close', 'duplicate issue').catch(() => undefined);
        const winner = await records.card(auth.tenantId, card.id);
        throw errors.invalidCardState({ reason: `Card ${card.id} is already issued; it is ${winner?.state ?? 'issued'}` });
      }
      await writer.update('card', card.id, nucleusCardFields(issued.state, issued), electronOrigin(auth.tenantId, requesterOf(request), 'electron: card issued at the processor', body));
      return { message: `Card ${card.id} issued, ending in ${issued.lastFour}`, vendor_name: processor.name, vendor_response: issued.vendorResponse };
    },
  });

  for (const { path, transition, operationId, summary, done } of TRANSITIONS) {
    app.post(path, {
      config: { errors: [errors.notFound, errors.cardNotIssued, errors.invalidCardState, errors.cardHasBalance, errors.unknownCard, errors.processorUnavailable] },
      schema: {
        tags: ['Electron'],
        summary,
        description: 'A card in a state this change does not apply to gets 409, naming the state it is in.',
        operationId,
        body: CardBaseRequest,
        response: { 200: BaseResponse, ...errorResponses },
      },
      handler: async (request) => {
        const { auth } = request;
        const body = request.body;
        const { card, link } = await issuedCard(auth, body.nucleus_card_id);
        const processor = processors.named(link.processor);
        const change = await atProcessor(`Card ${card.id}`, () => processor.changeCardState(auth.tenantId, link.vendor_card_id, transition, body.reason));
        await records.setCardState(auth.tenantId, card.id, change.state);
        await writer.update('card', card.id, nucleusCardFields(change.state), electronOrigin(auth.tenantId, requesterOf(request), `electron: card ${done} at the processor`, body));
        return { message: `Card ${card.id} ${done}`, vendor_name: processor.name, vendor_response: change.vendorResponse };
      },
    });
  }

  app.post('/card/replace', {
    config: { errors: [errors.notFound, errors.cardNotIssued, errors.invalidCardState, errors.unknownCard, errors.processorUnavailable] },
    schema: {
      tags: ['Electron'],
      summary: 'Replace a card: close it and issue a new one carrying its balance',
      description:
        "The new card is a copy of the old one in Nucleus (metadata.replaces_card_id names the old card, whose metadata.replaced_by_card_id names the new one). " +
        'Asked again for the same card, answers the same replacement.',
      operationId: 'createCardReplaceUsingPost',
      body: CardBaseRequest,
      response: { 200: CardReplaceResponse, ...errorResponses },
    },
    handler: async (request) => {
      const { auth } = request;
      const body = request.body;
      const { card, link } = await issuedCard(auth, body.nucleus_card_id);
      if (link.state === 'closed' && !link.replaced_by_card_id) {
        throw errors.invalidCardState({ reason: `Card ${card.id}: the card is closed, so it cannot be replaced` });
      }
      const origin = electronOrigin(auth.tenantId, requesterOf(request), 'electron: card replaced at the processor', body);
      // The successor is named before the processor acts, so a retry after a failure finishes the same replacement.
      let successorId = link.replaced_by_card_id;
      if (!successorId) {
        const made = await writer.create('card', successorBody(card), origin);
        successorId = await records.claimSuccessor(auth.tenantId, card.id, made.id);
        if (successorId !== made.id) await writer.remove('card', made.id, origin);
      }
      const processor = processors.named(link.processor);
      const replacement = await atProcessor(`Card ${card.id}`, () => processor.replaceCard(auth.tenantId, link.vendor_card_id, body.reason));
      const issued = replacement.card;
      await records.addCard(auth.tenantId, {
        nucleus_card_id: successorId,
        processor: processor.name,
        vendor_card_id: issued.cardId,
        last_four: issued.lastFour,
        expiry_date: issued.expiryDate,
        state: issued.state,
        replaced_by_card_id: null,
        replaces_card_id: card.id,
      });
      await records.setCardState(auth.tenantId, card.id, 'closed');
      const successor = (await records.card(auth.tenantId, successorId))!;
      await writer.update('card', successorId, nucleusCardFields(successor.state, issued), origin);
      await writer.update(
        'card',
        card.id,
        { ...nucleusCardFields('closed'), metadata: { ...(card.metadata as Record<string, string> | undefined), replaced_by_card_id: successorId } },
        origin,
      );
      return {
        card_status: successor.state,
        nucleus_card_id: card.id,
        replaced_nucleus_card_id: card.id,
        new_nucleus_card_id: successorId,
        message: `Card ${card.id} closed and replaced by card ${successorId}, ending in ${issued.lastFour}`,
        vendor_name: processor.name,
        vendor_response: replacement.vendorResponse,
      };
    },
  });
}
