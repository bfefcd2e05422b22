-- AlterTable
ALTER TABLE "Agent" ADD COLUMN     "tokenId" TEXT;

-- CreateIndex
CREATE INDEX "Agent_tokenId_idx" ON "Agent"("tokenId");

-- AddForeignKey
ALTER TABLE "Agent" ADD CONSTRAINT "Agent_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "AgentToken"("id") ON DELETE SET NULL ON UPDATE CASCADE;

