import type { FastifyBaseLogger } from 'fastify';
import { createPublicClient } from 'viem';
import type { Config } from '../config.ts';
import { chainDefinition, HydroChain, NOT_DEPLOYED, requestTransport, rpcTransport } from './chain.ts';
import { compiledContracts } from './contracts.ts';
import { EMBEDDED_CHAIN_ID, startEmbeddedChain } from './embedded-chain.ts';

/** The chain a node is configured with: the contracts must already be deployed there. */
async function nodeChain(config: Config): Promise<HydroChain> {
  const url = config.hydroRpcUrl!;
  const transport = rpcTransport(url);
  const chainId = await createPublicClient({ transport }).getChainId();
  const chain = new HydroChain(transport, chainDefinition(chainId, url), config.hydroPrivateKey!, await compiledContracts(), config.hydroContracts!, null);
  for (const [name, address] of Object.entries(chain.addresses)) {
    const code = await chain.public.getCode({ address });
    if (!code || code === '0x') throw new Error(`HYDRO_${name.toUpperCase()}_ADDRESS ${address} holds no contract on chain ${chainId}`);
  }
  return chain;
}

/**
 * The embedded chain, with the contracts deployed on its first start. Contracts built from
 * other sources than the deployed ones are deployed anew, so the ABI always matches the code.
 */
async function embeddedChain(config: Config, log: FastifyBaseLogger): Promise<HydroChain> {
  const embedded = await startEmbeddedChain(config.hydroChainDir);
  const contracts = await compiledContracts();
  const deployed = embedded.identity().contracts;
  const chain = new HydroChain(
    requestTransport(embedded.request),
    chainDefinition(EMBEDDED_CHAIN_ID, 'http://embedded.invalid'),
    embedded.operatorKey,
    contracts,
    deployed ?? NOT_DEPLOYED,
    embedded.request,
  );
  if (deployed?.sourceHash !== contracts.sourceHash) {
    if (deployed) log.warn({ previous: deployed }, 'Hydro contracts changed since they were deployed on the embedded chain; deploying them anew');
    const addresses = await chain.deploy();
    embedded.saveContracts({ ...addresses, sourceHash: contracts.sourceHash });
  }
  return chain;
}

/** Opens the chain on first use, once per process; a failure is retried by the next request. */
export function chainOpener(config: Config, log: FastifyBaseLogger): () => Promise<HydroChain> {
  let opening: Promise<HydroChain> | undefined;
  return () => {
    opening ??= (config.hydroRpcUrl ? nodeChain(config) : embeddedChain(config, log)).catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
}

