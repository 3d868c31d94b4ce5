// Admin / distribution authorities: the meter registry.
import { MetersScreen } from '../../../components/admin/Meters';

export default function MetersPage() {
  return <MetersScreen />;
}
