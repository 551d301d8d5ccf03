-- AlterTable
ALTER TABLE "Member" ADD COLUMN "interests" TEXT;

-- CreateTable
CREATE TABLE "LearnedSettings" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "json" TEXT NOT NULL,
    "documents" INTEGER NOT NULL,
    "fittedAt" DATETIME NOT NULL
);
