// Home page: what GridTokenX is and whether the engine behind it is healthy, live.
import { EngineStatus } from '../components/EngineStatus';

export default function HomePage() {
  return (
    <main className="page">
      <header className="masthead">
        <h1>
          Grid<span className="accent">TokenX</span>
        </h1>
        <p className="tagline">
          Peer-to-peer electricity trading for Thailand&apos;s grid — day-ahead auction and
          real-time market in 15-minute intervals, settled on a chain run by EGAT, MEA, PEA and ERC.
        </p>
      </header>
      <EngineStatus />
    </main>
  );
}
