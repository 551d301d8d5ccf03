-- CreateTable
CREATE TABLE "ServiceLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "expiresAt" BIGINT NOT NULL,

    CONSTRAINT "ServiceLease_pkey" PRIMARY KEY ("name")
);
