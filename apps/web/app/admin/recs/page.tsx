// Admin / EGAT: the REC issuance queue.
import { RecQueueScreen } from '../../../components/admin/RecScreens';

export default function RecQueuePage() {
  return <RecQueueScreen />;
}
