-- CreateTable
CREATE TABLE "Introduction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memberAId" INTEGER NOT NULL,
    "memberBId" INTEGER NOT NULL,
    "problemId" INTEGER,
    "reason" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "offeredAt" DATETIME NOT NULL,
    "acceptedAt" DATETIME,
    "containerId" TEXT
);

-- CreateIndex
CREATE INDEX "Introduction_memberAId_idx" ON "Introduction"("memberAId");

-- CreateIndex
CREATE INDEX "Introduction_memberBId_idx" ON "Introduction"("memberBId");

-- CreateIndex
CREATE UNIQUE INDEX "Introduction_memberAId_memberBId_problemId_key" ON "Introduction"("memberAId", "memberBId", "problemId");
