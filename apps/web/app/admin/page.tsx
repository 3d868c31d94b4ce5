// The admin desk: the sections the reader's role may use.
import { AdminHome } from '../../components/admin/AdminHome';

export default function AdminPage() {
  return <AdminHome />;
}
