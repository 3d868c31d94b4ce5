// Admin: deposit THB to a participant.
import { DepositScreen } from '../../../components/admin/DepositForm';

export default function DepositsPage() {
  return <DepositScreen />;
}
