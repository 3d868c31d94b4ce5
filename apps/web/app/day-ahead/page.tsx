// Day-ahead auction: bid curves and block orders for tomorrow until gate closure, then results.
import { DayAheadScreen } from '../../components/dayahead/DayAheadScreen';

export default function DayAheadPage() {
  return <DayAheadScreen />;
}
