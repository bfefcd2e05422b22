-- GET /api/v1/audit filters and keyset paging (see the AuditEvent model in schema.prisma).

-- DropIndex
DROP INDEX "AuditEvent_createdAt_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_createdAt_id_idx" ON "AuditEvent"("createdAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_actor_createdAt_id_idx" ON "AuditEvent"("actor", "createdAt", "id");

-- CreateIndex: text_pattern_ops so that the prefix filter (LIKE 'member.%') can use it whatever the database's collation
CREATE INDEX "AuditEvent_action_idx" ON "AuditEvent"("action" text_pattern_ops);

-- CreateIndex: as above, for target prefixes (balancer:<id>)
CREATE INDEX "AuditEvent_target_idx" ON "AuditEvent"("target" text_pattern_ops);
