import type { ReactNode } from 'react';
import { formatMs } from '@/lib/format';
import { healthCheckText, passiveHealthText, tlsText } from '@/lib/settings';
import type { Balancer } from '@switchboard/api-client';

/** The balancer's settings at a glance: lbmethod, health checks, upstream TLS (loud when verification is off), timeouts. */
export function BalancerSettings({ balancer }: { balancer: Balancer }) {
  const { timeouts, failover, tls } = balancer;
  return (
    <dl className="facts" data-testid="balancer-settings">
      <Fact term="lbmethod" testId="setting-lbmethod">
        <code>{balancer.lbMethod}</code>
      </Fact>
      <Fact term="health check" testId="setting-health-check">
        {healthCheckText(balancer.healthCheck)}
      </Fact>
      <Fact term="passive" testId="setting-passive">
        {passiveHealthText(balancer.passiveHealth)}
      </Fact>
      <Fact term="TLS" testId="setting-tls">
        {tls.insecureSkipVerify ? (
          <strong className="badge insecure" data-testid="tls-insecure" title="Any certificate is accepted: a man in the middle is not detected">
            ⚠ {tlsText(tls)}
          </strong>
        ) : (
          tlsText(tls)
        )}
      </Fact>
      {timeouts?.connectMs !== undefined && <Fact term="connect timeout">{formatMs(timeouts.connectMs)}</Fact>}
      {timeouts?.tunnelIdleMs !== undefined && <Fact term="tunnel idle">{formatMs(timeouts.tunnelIdleMs)}</Fact>}
      {timeouts?.responseHeaderMs !== undefined && <Fact term="response head timeout">{timeouts.responseHeaderMs === 0 ? 'none' : formatMs(timeouts.responseHeaderMs)}</Fact>}
      {failover?.retries !== undefined && <Fact term="retries">{failover.retries}</Fact>}
    </dl>
  );
}

function Fact({ term, testId, children }: { term: string; testId?: string; children: ReactNode }) {
  return (
    <div className="fact">
      <dt>{term}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
