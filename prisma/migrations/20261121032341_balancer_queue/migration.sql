-- AlterTable
ALTER TABLE "Balancer" ADD COLUMN     "queueTimeoutMs" INTEGER NOT NULL DEFAULT 0;

