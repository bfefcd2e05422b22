import type { AgentFigures, MemberFigures } from '@switchboard/api-client';
import { HealthBadge } from './Badges';

/**
 * Health of a member: the fleet's verdict (up if any agent sees it up, down if all do), then
 * each agent's own view, with the reason when that agent sees it down, since agents check
 * members independently (as each HAProxy process keeps its own check state).
 */
export function MemberHealth({ figures }: { figures: MemberFigures | null }) {
  return (
    <>
      <HealthBadge health={figures?.health} />
      {figures && figures.agents.length > 0 && (
        <ul className="agent-health" data-testid="member-health">
          {figures.agents.map((a) => (
            <AgentHealth key={a.agentId} agent={a} />
          ))}
        </ul>
      )}
    </>
  );
}

function AgentHealth({ agent }: { agent: AgentFigures }) {
  const reason = agent.health === 'down' ? agent.healthReason : null;
  const text = `${agent.agentName}: ${agent.health}${reason ? ` — ${reason}` : ''}`;
  return (
    <li data-testid="agent-health" data-agent={agent.agentName} data-health={agent.health} title={reason ? text : `${agent.agentName} sees this member ${agent.health}`}>
      <span className={`dot health-${agent.health}`} aria-hidden="true" />
      {text}
    </li>
  );
}
