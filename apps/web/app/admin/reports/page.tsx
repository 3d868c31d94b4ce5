// Admin / ERC: signed daily regulator reports.
import { ReportsScreen } from '../../../components/admin/Reports';

export default function ReportsPage() {
  return <ReportsScreen />;
}
