-- AlterTable
ALTER TABLE "Problem" ADD COLUMN "containerId" TEXT;
ALTER TABLE "Problem" ADD COLUMN "sourceEventId" TEXT;
ALTER TABLE "Problem" ADD COLUMN "threadId" TEXT;

-- AlterTable
ALTER TABLE "Feedback" ADD COLUMN "sourceEventId" TEXT;

-- CreateTable
CREATE TABLE "InboxEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "handledAt" DATETIME
);

-- CreateTable
CREATE TABLE "OutboxAction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "notBefore" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "result" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" DATETIME
);

-- CreateTable
CREATE TABLE "LinkCode" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "memberId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "LinkCode_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "InboxEvent_platform_status_priority_id_idx" ON "InboxEvent"("platform", "status", "priority", "id");

-- CreateIndex
CREATE UNIQUE INDEX "InboxEvent_platform_eventId_key" ON "InboxEvent"("platform", "eventId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxAction_key_key" ON "OutboxAction"("key");

-- CreateIndex
CREATE INDEX "OutboxAction_platform_status_notBefore_idx" ON "OutboxAction"("platform", "status", "notBefore");

-- CreateIndex
CREATE INDEX "LinkCode_memberId_idx" ON "LinkCode"("memberId");

-- CreateIndex
CREATE INDEX "Problem_platform_threadId_idx" ON "Problem"("platform", "threadId");

-- CreateIndex
CREATE UNIQUE INDEX "Problem_platform_sourceEventId_key" ON "Problem"("platform", "sourceEventId");

-- CreateIndex
CREATE UNIQUE INDEX "Response_problemId_documentId_key" ON "Response"("problemId", "documentId");

-- CreateIndex
CREATE INDEX "Feedback_sourceEventId_idx" ON "Feedback"("sourceEventId");
