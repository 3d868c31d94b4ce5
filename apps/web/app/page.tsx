// Home: the market overview, zones × upcoming delivery intervals, live.
import { MarketOverview } from '../components/MarketOverview';

export default function HomePage() {
  return <MarketOverview />;
}
