-- AlterTable
ALTER TABLE "Balancer" ADD COLUMN     "responseHeaderMs" INTEGER NOT NULL DEFAULT 60000;

