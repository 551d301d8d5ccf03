-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Member" (
    "id" SERIAL NOT NULL,
    "displayName" TEXT NOT NULL,
    "optedOut" BOOLEAN NOT NULL DEFAULT false,
    "pausedUntil" TIMESTAMP(3),
    "weeklyBudget" INTEGER,
    "quietHours" TEXT,
    "timeZone" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "recognitionDigest" BOOLEAN NOT NULL DEFAULT false,
    "leftAt" TIMESTAMP(3),
    "interests" TEXT,

    CONSTRAINT "Member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Identity" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "displayName" TEXT,
    "verifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "emailHash" TEXT,
    "emailCheckedAt" TIMESTAMP(3),

    CONSTRAINT "Identity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Document" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "containerId" TEXT,
    "replyToId" TEXT,
    "kind" TEXT NOT NULL,
    "title" TEXT,
    "text" TEXT NOT NULL,
    "url" TEXT,
    "authorId" INTEGER,
    "score" INTEGER NOT NULL DEFAULT 0,
    "accepted" BOOLEAN NOT NULL DEFAULT false,
    "contentHash" TEXT,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "ingestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tag" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "status" TEXT NOT NULL DEFAULT 'active',
    "origin" TEXT NOT NULL DEFAULT 'forum',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DocumentTag" (
    "documentId" INTEGER NOT NULL,
    "tagId" INTEGER NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'platform',
    "confidence" DOUBLE PRECISION NOT NULL DEFAULT 1,

    CONSTRAINT "DocumentTag_pkey" PRIMARY KEY ("documentId","tagId")
);

-- CreateTable
CREATE TABLE "Problem" (
    "id" SERIAL NOT NULL,
    "originatorId" INTEGER NOT NULL,
    "sourceDocumentId" INTEGER,
    "platform" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'opened',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "solvedAt" TIMESTAMP(3),
    "containerId" TEXT,
    "sourceEventId" TEXT,
    "threadId" TEXT,

    CONSTRAINT "Problem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProblemTag" (
    "problemId" INTEGER NOT NULL,
    "tagId" INTEGER NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "ProblemTag_pkey" PRIMARY KEY ("problemId","tagId")
);

-- CreateTable
CREATE TABLE "SimilarityLink" (
    "id" SERIAL NOT NULL,
    "problemId" INTEGER NOT NULL,
    "documentId" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "rank" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SimilarityLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" SERIAL NOT NULL,
    "problemId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "respondedAt" TIMESTAMP(3),

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Response" (
    "id" SERIAL NOT NULL,
    "problemId" INTEGER NOT NULL,
    "memberId" INTEGER NOT NULL,
    "documentId" INTEGER,
    "platform" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Feedback" (
    "id" SERIAL NOT NULL,
    "problemId" INTEGER,
    "responseId" INTEGER,
    "fromMemberId" INTEGER NOT NULL,
    "toMemberId" INTEGER,
    "kind" TEXT NOT NULL,
    "value" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sourceEventId" TEXT,

    CONSTRAINT "Feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Interaction" (
    "id" SERIAL NOT NULL,
    "fromMemberId" INTEGER NOT NULL,
    "toMemberId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "mediated" BOOLEAN NOT NULL,
    "problemId" INTEGER,
    "sourceEventId" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Interaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedEvent" (
    "platform" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("platform","eventId")
);

-- CreateTable
CREATE TABLE "SyncCursor" (
    "platform" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncCursor_pkey" PRIMARY KEY ("platform","key")
);

-- CreateTable
CREATE TABLE "Embedding" (
    "modelId" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "dims" INTEGER NOT NULL,
    "vector" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Embedding_pkey" PRIMARY KEY ("modelId","contentHash")
);

-- CreateTable
CREATE TABLE "InboxEvent" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "handledAt" TIMESTAMP(3),

    CONSTRAINT "InboxEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutboxAction" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "notBefore" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "result" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "OutboxAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkCode" (
    "code" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "LinkCode_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "ProblemThread" (
    "problemId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "containerId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProblemThread_pkey" PRIMARY KEY ("platform","threadId")
);

-- CreateTable
CREATE TABLE "ProblemTransition" (
    "id" SERIAL NOT NULL,
    "problemId" INTEGER NOT NULL,
    "from" TEXT,
    "to" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "sourceEventId" TEXT,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProblemTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Introduction" (
    "id" SERIAL NOT NULL,
    "memberAId" INTEGER NOT NULL,
    "memberBId" INTEGER NOT NULL,
    "problemId" INTEGER,
    "reason" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "offeredAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "containerId" TEXT,

    CONSTRAINT "Introduction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PendingRelay" (
    "id" SERIAL NOT NULL,
    "platform" TEXT NOT NULL,
    "sourceEventId" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "problemId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "consentEventId" TEXT,
    "relayedAt" TIMESTAMP(3),
    "responseId" INTEGER,

    CONSTRAINT "PendingRelay_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DashboardSession" (
    "idHash" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "staff" TEXT,

    CONSTRAINT "DashboardSession_pkey" PRIMARY KEY ("idHash")
);

-- CreateTable
CREATE TABLE "GeneratedSecret" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GeneratedSecret_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "AccountPair" (
    "id" SERIAL NOT NULL,
    "aPlatform" TEXT NOT NULL,
    "aExternalId" TEXT NOT NULL,
    "bPlatform" TEXT NOT NULL,
    "bExternalId" TEXT NOT NULL,
    "reasons" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "recipientPlatform" TEXT,
    "recipientExternalId" TEXT,
    "offeredAt" TIMESTAMP(3),
    "messageId" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decidedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountPair_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberMerge" (
    "id" SERIAL NOT NULL,
    "keptMemberId" INTEGER NOT NULL,
    "mergedMemberId" INTEGER NOT NULL,
    "mergedMember" TEXT NOT NULL,
    "keptBefore" TEXT NOT NULL,
    "keptAfter" TEXT NOT NULL,
    "watermarks" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "splitAt" TIMESTAMP(3),
    "splitBy" TEXT,

    CONSTRAINT "MemberMerge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MemberMergeChange" (
    "id" SERIAL NOT NULL,
    "mergeId" INTEGER NOT NULL,
    "tableName" TEXT NOT NULL,
    "rowKey" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "column" TEXT,
    "before" TEXT,

    CONSTRAINT "MemberMergeChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LearnedSettings" (
    "key" TEXT NOT NULL,
    "json" TEXT NOT NULL,
    "documents" INTEGER NOT NULL,
    "fittedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LearnedSettings_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ConsoleAction" (
    "id" SERIAL NOT NULL,
    "requestId" TEXT NOT NULL,
    "staff" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "memberId" INTEGER,
    "detail" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConsoleAction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Identity_memberId_idx" ON "Identity"("memberId");

-- CreateIndex
CREATE INDEX "Identity_emailHash_idx" ON "Identity"("emailHash");

-- CreateIndex
CREATE UNIQUE INDEX "Identity_platform_externalId_key" ON "Identity"("platform", "externalId");

-- CreateIndex
CREATE INDEX "Document_platform_threadId_idx" ON "Document"("platform", "threadId");

-- CreateIndex
CREATE INDEX "Document_authorId_idx" ON "Document"("authorId");

-- CreateIndex
CREATE INDEX "Document_createdAt_idx" ON "Document"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Document_platform_externalId_key" ON "Document"("platform", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Tag_name_key" ON "Tag"("name");

-- CreateIndex
CREATE INDEX "DocumentTag_tagId_idx" ON "DocumentTag"("tagId");

-- CreateIndex
CREATE INDEX "Problem_platform_threadId_idx" ON "Problem"("platform", "threadId");

-- CreateIndex
CREATE INDEX "Problem_status_idx" ON "Problem"("status");

-- CreateIndex
CREATE INDEX "Problem_createdAt_idx" ON "Problem"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Problem_platform_sourceEventId_key" ON "Problem"("platform", "sourceEventId");

-- CreateIndex
CREATE INDEX "ProblemTag_tagId_idx" ON "ProblemTag"("tagId");

-- CreateIndex
CREATE UNIQUE INDEX "SimilarityLink_problemId_documentId_key" ON "SimilarityLink"("problemId", "documentId");

-- CreateIndex
CREATE INDEX "Invitation_memberId_createdAt_idx" ON "Invitation"("memberId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_problemId_memberId_key" ON "Invitation"("problemId", "memberId");

-- CreateIndex
CREATE INDEX "Response_problemId_idx" ON "Response"("problemId");

-- CreateIndex
CREATE INDEX "Response_memberId_idx" ON "Response"("memberId");

-- CreateIndex
CREATE UNIQUE INDEX "Response_problemId_documentId_key" ON "Response"("problemId", "documentId");

-- CreateIndex
CREATE INDEX "Feedback_toMemberId_idx" ON "Feedback"("toMemberId");

-- CreateIndex
CREATE INDEX "Feedback_sourceEventId_idx" ON "Feedback"("sourceEventId");

-- CreateIndex
CREATE INDEX "Interaction_fromMemberId_toMemberId_idx" ON "Interaction"("fromMemberId", "toMemberId");

-- CreateIndex
CREATE INDEX "Interaction_occurredAt_idx" ON "Interaction"("occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Interaction_platform_sourceEventId_fromMemberId_toMemberId__key" ON "Interaction"("platform", "sourceEventId", "fromMemberId", "toMemberId", "kind");

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
CREATE INDEX "ProblemThread_problemId_idx" ON "ProblemThread"("problemId");

-- CreateIndex
CREATE INDEX "ProblemTransition_problemId_at_idx" ON "ProblemTransition"("problemId", "at");

-- CreateIndex
CREATE INDEX "Introduction_memberAId_idx" ON "Introduction"("memberAId");

-- CreateIndex
CREATE INDEX "Introduction_memberBId_idx" ON "Introduction"("memberBId");

-- CreateIndex
CREATE UNIQUE INDEX "Introduction_memberAId_memberBId_problemId_key" ON "Introduction"("memberAId", "memberBId", "problemId");

-- CreateIndex
CREATE INDEX "PendingRelay_memberId_relayedAt_idx" ON "PendingRelay"("memberId", "relayedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PendingRelay_platform_sourceEventId_key" ON "PendingRelay"("platform", "sourceEventId");

-- CreateIndex
CREATE INDEX "DashboardSession_role_lastSeenAt_idx" ON "DashboardSession"("role", "lastSeenAt");

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
CREATE UNIQUE INDEX "ConsoleAction_requestId_key" ON "ConsoleAction"("requestId");

-- CreateIndex
CREATE INDEX "ConsoleAction_createdAt_idx" ON "ConsoleAction"("createdAt");

-- CreateIndex
CREATE INDEX "ConsoleAction_staff_createdAt_idx" ON "ConsoleAction"("staff", "createdAt");

-- CreateIndex
CREATE INDEX "ConsoleAction_memberId_kind_idx" ON "ConsoleAction"("memberId", "kind");

-- AddForeignKey
ALTER TABLE "Identity" ADD CONSTRAINT "Identity_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Document" ADD CONSTRAINT "Document_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocumentTag" ADD CONSTRAINT "DocumentTag_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DocumentTag" ADD CONSTRAINT "DocumentTag_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Problem" ADD CONSTRAINT "Problem_originatorId_fkey" FOREIGN KEY ("originatorId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Problem" ADD CONSTRAINT "Problem_sourceDocumentId_fkey" FOREIGN KEY ("sourceDocumentId") REFERENCES "Document"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProblemTag" ADD CONSTRAINT "ProblemTag_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "Problem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProblemTag" ADD CONSTRAINT "ProblemTag_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SimilarityLink" ADD CONSTRAINT "SimilarityLink_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "Problem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SimilarityLink" ADD CONSTRAINT "SimilarityLink_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "Problem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "Problem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "Problem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "Response"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_fromMemberId_fkey" FOREIGN KEY ("fromMemberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_toMemberId_fkey" FOREIGN KEY ("toMemberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_fromMemberId_fkey" FOREIGN KEY ("fromMemberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_toMemberId_fkey" FOREIGN KEY ("toMemberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Interaction" ADD CONSTRAINT "Interaction_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "Problem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LinkCode" ADD CONSTRAINT "LinkCode_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProblemThread" ADD CONSTRAINT "ProblemThread_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "Problem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProblemTransition" ADD CONSTRAINT "ProblemTransition_problemId_fkey" FOREIGN KEY ("problemId") REFERENCES "Problem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MemberMergeChange" ADD CONSTRAINT "MemberMergeChange_mergeId_fkey" FOREIGN KEY ("mergeId") REFERENCES "MemberMerge"("id") ON DELETE CASCADE ON UPDATE CASCADE;
