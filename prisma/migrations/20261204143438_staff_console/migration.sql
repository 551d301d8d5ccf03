-- AlterTable
ALTER TABLE "DashboardSession" ADD COLUMN "staff" TEXT;

-- CreateTable
CREATE TABLE "ConsoleAction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "requestId" TEXT NOT NULL,
    "staff" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "memberId" INTEGER,
    "detail" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "ConsoleAction_requestId_key" ON "ConsoleAction"("requestId");

-- CreateIndex
CREATE INDEX "ConsoleAction_createdAt_idx" ON "ConsoleAction"("createdAt");

-- CreateIndex
CREATE INDEX "ConsoleAction_staff_createdAt_idx" ON "ConsoleAction"("staff", "createdAt");

-- CreateIndex
CREATE INDEX "ConsoleAction_memberId_kind_idx" ON "ConsoleAction"("memberId", "kind");
