// The public registry of renewable energy certificates.
import { RegistryScreen } from '../../components/admin/RecScreens';

export default function RegistryPage() {
  return <RegistryScreen />;
}
