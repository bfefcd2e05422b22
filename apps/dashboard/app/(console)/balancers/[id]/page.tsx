import { BalancerView } from '@/components/BalancerView';

export default async function BalancerPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <BalancerView balancerId={id} />;
}
