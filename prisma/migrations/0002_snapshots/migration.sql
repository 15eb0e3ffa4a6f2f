-- CreateTable
CREATE TABLE "Snapshot" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT NOT NULL,
    "label" TEXT,
    "fileCount" INTEGER NOT NULL,
    "totalBytes" BIGINT NOT NULL,
    "newBytes" BIGINT NOT NULL,
    "changedFiles" INTEGER NOT NULL,
    "skipped" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "Snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SnapshotFile" (
    "snapshotId" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "mode" INTEGER NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,

    CONSTRAINT "SnapshotFile_pkey" PRIMARY KEY ("snapshotId","path")
);

-- CreateTable
CREATE TABLE "SnapshotBlob" (
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "storedSize" INTEGER NOT NULL,
    "encoding" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SnapshotBlob_pkey" PRIMARY KEY ("sha256")
);

-- CreateIndex
CREATE INDEX "Snapshot_projectId_createdAt_idx" ON "Snapshot"("projectId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "SnapshotFile_sha256_idx" ON "SnapshotFile"("sha256");

-- AddForeignKey
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SnapshotFile" ADD CONSTRAINT "SnapshotFile_snapshotId_fkey" FOREIGN KEY ("snapshotId") REFERENCES "Snapshot"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SnapshotFile" ADD CONSTRAINT "SnapshotFile_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "SnapshotBlob"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

