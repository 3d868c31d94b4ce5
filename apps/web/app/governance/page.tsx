// Governance proposals and votes of the grid authorities.
import { GovernanceScreen } from '../../components/admin/Governance';

export default function GovernancePage() {
  return <GovernanceScreen />;
}
