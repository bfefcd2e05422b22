import { Overview } from '@/components/Overview';

export default function HomePage() {
  return <Overview />;
}
