// Chain explorer: latest blocks, validators, search.
import { Explorer } from '../../components/explorer/Explorer';

export default function ExplorerPage() {
  return <Explorer />;
}
