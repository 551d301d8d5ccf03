-- CreateTable
CREATE TABLE "ServiceLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "expiresAt" BIGINT NOT NULL
);
