// Admin: participants and their roles.
import { ParticipantsScreen } from '../../../components/admin/Participants';

export default function ParticipantsPage() {
  return <ParticipantsScreen />;
}
