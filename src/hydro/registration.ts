import { encodePacked, keccak256, type Address, type Hex, type LocalAccount } from 'viem';

/** What a user signs to register a HydroID through a relayer: the registry's registrationHash, computed locally. */
export function registrationHash(registry: Address, hydroId: string, owner: Address): Hex {
  return keccak256(encodePacked(['address', 'string', 'address'], [registry, hydroId, owner]));
}

export function signRegistration(account: LocalAccount, registry: Address, hydroId: string): Promise<Hex> {
  return account.signMessage({ message: { raw: registrationHash(registry, hydroId, account.address) } });
}
