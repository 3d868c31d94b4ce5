// Wallet: balances on chain, reservations and escrows, identifiers and settlement history.
import { WalletScreen } from '../../components/WalletScreen';

export default function WalletPage() {
  return <WalletScreen />;
}
