// Grid operator's balancing dashboard.
import { GridDashboard } from '../../components/grid/GridDashboard';

export default function GridPage() {
  return <GridDashboard />;
}
