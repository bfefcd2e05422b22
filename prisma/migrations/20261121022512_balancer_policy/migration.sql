-- AlterTable
ALTER TABLE "Balancer" ADD COLUMN     "hashName" TEXT,
ADD COLUMN     "hashSource" TEXT NOT NULL DEFAULT 'ip',
ADD COLUMN     "slowStartMs" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "stickyMode" TEXT NOT NULL DEFAULT 'none',
ADD COLUMN     "stickyName" TEXT;

