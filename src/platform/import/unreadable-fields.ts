import type { EntityDeclaration } from '../entity/declaration.ts';

/**
 * Fields a source may not give back: declared secrets (client passwords), which no read
 * shows, and a webhook's signing secret, which Hydrogen did not show after creation.
 */
const NOT_SHOWN: Record<string, string[]> = { webhook: ['secret'] };

export function unreadableFields(declaration: EntityDeclaration): string[] {
  return [...(declaration.secrets ?? []), ...(NOT_SHOWN[declaration.name] ?? [])];
}

/** What the team must do about each field the import could not bring. */
export const WHAT_TO_DO: Record<string, string> = {
  'client.password': 'have these clients set a password again (a password reset), or set one through PUT /nucleus/v1/client/{id}',
  'webhook.secret': 'a new signing secret was generated: read it (GET /nucleus/v1/webhook/{id}) or set your own, and give it to the receiver',
};
