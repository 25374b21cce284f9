import type { Database } from '../../platform/db/database.ts';
import { PROGRAM_CURRENCY } from '../money.ts';
import { ledger } from './ledger.ts';

/**
 * The accounts of a tenant's sandbox card program, besides one per card:
 * - reserve: the program's money not yet on any card; loads draw on it, unloads return to it.
 *   It may run into overdraft down to OVERDRAFT_LIMIT_MINOR, never further.
 * - ach_clearing: ACH money pulled from a bank but not yet settled onto a card; zero when no
 *   transfer is in flight.
 * - bank_network, card_network, program_funding: the outside world (banks, merchants, the
 *   program manager's own bank) seen from the books, so every movement still balances; they
 *   have no floor.
 */
export const ACCOUNTS = {
  reserve: 'reserve',
  achClearing: 'ach_clearing',
  bankNetwork: 'bank_network',
  cardNetwork: 'card_network',
  programFunding: 'program_funding',
} as const;

/** A sandbox program starts with its reserve funded, as a real program would be before launch. */
export const OPENING_RESERVE_MINOR = 100_000_000n; // 1,000,000.00
export const OVERDRAFT_LIMIT_MINOR = 5_000_000n; // 50,000.00

/**
 * Opens a tenant's program accounts and funds the reserve when they are missing: on first
 * use, and again after a reset of the tenant (in any process) removed them, which is why the
 * database is asked each time rather than a memory of having opened them.
 */
export class SandboxPrograms {
  constructor(private readonly db: Database) {}

  async ensure(tenantId: string): Promise<void> {
    const [reserve] = await this.db.query('SELECT 1 FROM sandbox_ledger_account WHERE tenant_id = $1 AND code = $2', [tenantId, ACCOUNTS.reserve]);
    if (!reserve) await this.open(tenantId);
  }

  private async open(tenantId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Whoever inserts the reserve funds it; a concurrent opener waits on that row and then finds it taken.
      const fresh = await ledger.openAccount(tx, tenantId, ACCOUNTS.reserve, PROGRAM_CURRENCY, -OVERDRAFT_LIMIT_MINOR);
      await ledger.openAccount(tx, tenantId, ACCOUNTS.achClearing, PROGRAM_CURRENCY, 0n);
      for (const external of [ACCOUNTS.bankNetwork, ACCOUNTS.cardNetwork, ACCOUNTS.programFunding]) {
        await ledger.openAccount(tx, tenantId, external, PROGRAM_CURRENCY, null);
      }
      if (!fresh) return;
      const accounts = await ledger.lock(tx, tenantId, [ACCOUNTS.reserve, ACCOUNTS.programFunding]);
      await ledger.record(tx, tenantId, accounts, {
        kind: 'reserve_funding',
        reference: 'reserve_funding:opening',
        legs: [
          { account: ACCOUNTS.programFunding, amountMinor: -OPENING_RESERVE_MINOR },
          { account: ACCOUNTS.reserve, amountMinor: OPENING_RESERVE_MINOR },
        ],
      });
    });
  }
}
