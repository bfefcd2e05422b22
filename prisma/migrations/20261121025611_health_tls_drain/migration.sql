-- AlterTable
ALTER TABLE "AgentStat" ADD COLUMN     "closedByAgent" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "healthReason" TEXT;

-- AlterTable
ALTER TABLE "Balancer" ADD COLUMN     "hcExpectStatus" INTEGER NOT NULL DEFAULT 200,
ADD COLUMN     "hcFails" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "hcIntervalMs" INTEGER NOT NULL DEFAULT 5000,
ADD COLUMN     "hcPasses" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "hcPath" TEXT NOT NULL DEFAULT '/',
ADD COLUMN     "hcTimeoutMs" INTEGER NOT NULL DEFAULT 2000,
ADD COLUMN     "hcType" TEXT NOT NULL DEFAULT 'none',
ADD COLUMN     "passiveFails" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "passiveRetryMs" INTEGER NOT NULL DEFAULT 10000,
ADD COLUMN     "rebalanceClosesPerSecond" INTEGER,
ADD COLUMN     "rebalanceRequestedAt" TIMESTAMP(3),
ADD COLUMN     "rebalanceTolerance" DOUBLE PRECISION,
ADD COLUMN     "tlsInsecureSkipVerify" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "tlsServerName" TEXT;

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "drainDeadlineMs" INTEGER,
ADD COLUMN     "drainStartedAt" TIMESTAMP(3),
ADD COLUMN     "drainWindowMs" INTEGER,
ADD COLUMN     "drainedAt" TIMESTAMP(3);

