-- AlterTable
ALTER TABLE "Balancer" ADD COLUMN     "hostMode" TEXT NOT NULL DEFAULT 'keep',
ADD COLUMN     "hostValue" TEXT;

