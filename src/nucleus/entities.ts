import type { EntityDeclaration } from '../platform/entity/declaration.ts';
import client from './client/client.entity.ts';
import clientStatus from './client/client-status.entity.ts';
import accountType from './account/account-type.entity.ts';
import account from './account/account.entity.ts';
import accountStatus from './account/account-status.entity.ts';
import portfolio from './portfolio/portfolio.entity.ts';

/** Every Nucleus entity served by the engine. */
export const nucleusEntities: EntityDeclaration[] = [client, clientStatus, accountType, account, accountStatus, portfolio];
