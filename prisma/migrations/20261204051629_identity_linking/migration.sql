-- AlterTable
ALTER TABLE "Identity" ADD COLUMN "emailHash" TEXT;
ALTER TABLE "Identity" ADD COLUMN "emailCheckedAt" DATETIME;

-- CreateTable
CREATE TABLE "AccountPair" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "aPlatform" TEXT NOT NULL,
    "aExternalId" TEXT NOT NULL,
    "bPlatform" TEXT NOT NULL,
    "bExternalId" TEXT NOT NULL,
    "reasons" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "recipientPlatform" TEXT,
    "recipientExternalId" TEXT,
    "offeredAt" DATETIME,
    "messageId" TEXT,
    "decidedAt" DATETIME,
    "decidedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "MemberMerge" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "keptMemberId" INTEGER NOT NULL,
    "mergedMemberId" INTEGER NOT NULL,
    "mergedMember" TEXT NOT NULL,
    "keptBefore" TEXT NOT NULL,
    "keptAfter" TEXT NOT NULL,
    "watermarks" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "splitAt" DATETIME,
    "splitBy" TEXT
);

-- CreateTable
CREATE TABLE "MemberMergeChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "mergeId" INTEGER NOT NULL,
    "tableName" TEXT NOT NULL,
    "rowKey" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "column" TEXT,
    "before" TEXT,
    CONSTRAINT "MemberMergeChange_mergeId_fkey" FOREIGN KEY ("mergeId") REFERENCES "MemberMerge" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "AccountPair_recipientPlatform_recipientExternalId_status_idx" ON "AccountPair"("recipientPlatform", "recipientExternalId", "status");

-- CreateIndex
CREATE INDEX "AccountPair_messageId_idx" ON "AccountPair"("messageId");

-- CreateIndex
CREATE UNIQUE INDEX "AccountPair_aPlatform_aExternalId_bPlatform_bExternalId_key" ON "AccountPair"("aPlatform", "aExternalId", "bPlatform", "bExternalId");

-- CreateIndex
CREATE INDEX "MemberMerge_keptMemberId_idx" ON "MemberMerge"("keptMemberId");

-- CreateIndex
CREATE INDEX "MemberMerge_mergedMemberId_idx" ON "MemberMerge"("mergedMemberId");

-- CreateIndex
CREATE INDEX "MemberMergeChange_mergeId_idx" ON "MemberMergeChange"("mergeId");

-- CreateIndex
CREATE INDEX "Identity_emailHash_idx" ON "Identity"("emailHash");
