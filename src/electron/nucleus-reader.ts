import type { Database } from '../platform/db/database.ts';
import type { AuthContext } from '../platform/auth/tokens.ts';
import type { StoredRecord } from '../platform/entity/store.ts';
import type { EntityWriter } from '../platform/entity/writer.ts';

/** Reads of Nucleus records: as the caller (what they may see, else 404) or as Electron itself. */
export class NucleusReader {
  constructor(
    private readonly db: Database,
    private readonly writer: EntityWriter,
  ) {}

  asCaller(auth: AuthContext, entity: string, id: string): Promise<StoredRecord> {
    return this.writer.store(entity).get(this.db, auth.tenantId, id, this.writer.acl.readScope(auth, entity));
  }

  asElectron(tenantId: string, entity: string, id: string): Promise<StoredRecord> {
    return this.writer.store(entity).get(this.db, tenantId, id);
  }

  /** The first record whose field equals the value, or undefined. */
  async findBy(tenantId: string, entity: string, field: string, value: string): Promise<StoredRecord | undefined> {
    const page = await this.writer.store(entity).list(this.db, tenantId, {
      page: 0,
      size: 1,
      order_by: 'create_date',
      ascending: true,
      filter: `${field}==${JSON.stringify(value)}`,
    });
    return page.content[0];
  }
}
