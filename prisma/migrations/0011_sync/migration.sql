-- CreateTable
CREATE TABLE "SyncRemote" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "tokenSealed" TEXT NOT NULL,
    "tokenMasked" TEXT NOT NULL,
    "accountEmail" TEXT,
    "accountName" TEXT,
    "accountProjects" INTEGER,
    "lastCheckedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncRemote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncLink" (
    "projectId" TEXT NOT NULL,
    "remoteId" TEXT NOT NULL,
    "remoteProjectId" TEXT NOT NULL,
    "remoteProjectName" TEXT,
    "autoSync" BOOLEAN NOT NULL DEFAULT false,
    "intervalMinutes" INTEGER NOT NULL DEFAULT 0,
    "baseSnapshotId" TEXT,
    "baseConversations" JSONB NOT NULL DEFAULT '{}',
    "remoteStateId" TEXT,
    "lastSyncedAt" TIMESTAMP(3),
    "lastStatus" TEXT NOT NULL DEFAULT 'pending',
    "lastError" TEXT,
    "lastResult" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncLink_pkey" PRIMARY KEY ("projectId")
);

-- CreateTable
CREATE TABLE "SyncBlobGrant" (
    "userId" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncBlobGrant_pkey" PRIMARY KEY ("userId","sha256")
);

-- CreateTable
CREATE TABLE "SyncApply" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "targetSnapshotId" TEXT NOT NULL,
    "beforeSnapshotId" TEXT,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncApply_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CliLogin" (
    "code" TEXT NOT NULL,
    "pollTokenHash" TEXT NOT NULL,
    "device" TEXT,
    "userId" TEXT,
    "tokenSealed" TEXT,
    "approvedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CliLogin_pkey" PRIMARY KEY ("code")
);

-- CreateIndex
CREATE INDEX "SyncRemote_userId_idx" ON "SyncRemote"("userId");

-- CreateIndex
CREATE INDEX "SyncLink_remoteId_idx" ON "SyncLink"("remoteId");

-- CreateIndex
CREATE INDEX "SyncBlobGrant_createdAt_idx" ON "SyncBlobGrant"("createdAt");

-- CreateIndex
CREATE INDEX "SyncApply_projectId_status_idx" ON "SyncApply"("projectId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "CliLogin_pollTokenHash_key" ON "CliLogin"("pollTokenHash");

-- AddForeignKey
ALTER TABLE "SyncRemote" ADD CONSTRAINT "SyncRemote_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncLink" ADD CONSTRAINT "SyncLink_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncLink" ADD CONSTRAINT "SyncLink_remoteId_fkey" FOREIGN KEY ("remoteId") REFERENCES "SyncRemote"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncLink" ADD CONSTRAINT "SyncLink_baseSnapshotId_fkey" FOREIGN KEY ("baseSnapshotId") REFERENCES "Snapshot"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncBlobGrant" ADD CONSTRAINT "SyncBlobGrant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncApply" ADD CONSTRAINT "SyncApply_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncApply" ADD CONSTRAINT "SyncApply_targetSnapshotId_fkey" FOREIGN KEY ("targetSnapshotId") REFERENCES "Snapshot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

