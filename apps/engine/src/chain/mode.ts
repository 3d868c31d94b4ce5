// The chain hosting mode chosen by the environment (CHAIN_MODE): the in-process validators, or a
// WebSocket devnet read from CHAIN_DEVNET_DIR (validators located by CHAIN_PEERS when set). The
// start-up line says which, as it does for the database.
import type { Env } from '../env.ts';
import { readDevnet, type DevnetConnection } from './devnet.ts';

export type ChainHosting = true | { devnet: DevnetConnection };

export async function chainHostingFromEnv(
  env: Pick<Env, 'CHAIN_MODE' | 'CHAIN_DEVNET_DIR' | 'CHAIN_PEERS'>,
): Promise<ChainHosting> {
  if (env.CHAIN_MODE === 'local') return true;
  // loadEnv refuses CHAIN_MODE=devnet without a folder (ENV_CHAIN_DEVNET_DIR_MISSING).
  if (!env.CHAIN_DEVNET_DIR) throw new Error('CHAIN_MODE=devnet needs CHAIN_DEVNET_DIR');
  return { devnet: await readDevnet(env.CHAIN_DEVNET_DIR, env.CHAIN_PEERS) };
}

/** One line for the start-up banner. */
export function describeChainHosting(hosting: ChainHosting): string {
  if (hosting === true) return 'in-process validators EGAT, MEA, PEA, ERC (CHAIN_MODE=local)';
  const { devnet } = hosting;
  const validators = devnet.validators.map((v) => `${v.name} ${v.url}`).join(', ');
  return `devnet ${devnet.genesis.chainId} from ${devnet.dir}, following ${validators} (CHAIN_MODE=devnet)`;
}
