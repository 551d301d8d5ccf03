-- CreateTable
CREATE TABLE "ProblemThread" (
    "problemId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "containerId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("platform", "threadId"),
    CONSTRAINT "ProblemThread_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "Problem" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ProblemThread_problemId_idx" ON "ProblemThread"("problemId");
