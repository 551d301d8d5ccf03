-- CreateTable
CREATE TABLE "PendingRelay" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "platform" TEXT NOT NULL,
    "sourceEventId" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "problemId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "consentEventId" TEXT,
    "relayedAt" DATETIME,
    "responseId" INTEGER
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Member" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "displayName" TEXT NOT NULL,
    "optedOut" BOOLEAN NOT NULL DEFAULT false,
    "pausedUntil" DATETIME,
    "weeklyBudget" INTEGER,
    "quietHours" TEXT,
    "timeZone" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "recognitionDigest" BOOLEAN NOT NULL DEFAULT false,
    "leftAt" DATETIME
);
INSERT INTO "new_Member" ("createdAt", "displayName", "id", "optedOut", "pausedUntil", "quietHours", "timeZone", "updatedAt", "weeklyBudget") SELECT "createdAt", "displayName", "id", "optedOut", "pausedUntil", "quietHours", "timeZone", "updatedAt", "weeklyBudget" FROM "Member";
DROP TABLE "Member";
ALTER TABLE "new_Member" RENAME TO "Member";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "PendingRelay_memberId_relayedAt_idx" ON "PendingRelay"("memberId", "relayedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PendingRelay_platform_sourceEventId_key" ON "PendingRelay"("platform", "sourceEventId");
