import { RoutesView } from '@/components/RoutesView';

export default function RoutesPage() {
  return <RoutesView />;
}
