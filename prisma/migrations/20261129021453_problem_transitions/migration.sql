-- CreateTable
CREATE TABLE "ProblemTransition" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "problemId" INTEGER NOT NULL,
    "from" TEXT,
    "to" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "sourceEventId" TEXT,
    "at" DATETIME NOT NULL,
    CONSTRAINT "ProblemTransition_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "Problem" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ProblemTransition_problemId_at_idx" ON "ProblemTransition"("problemId", "at");
