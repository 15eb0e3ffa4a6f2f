-- A user's own model providers (issue 11). Keys are sealed (AES-256-GCM, key from AUTH_SECRET).
CREATE TABLE "UserAiSettings" (
    "userId" TEXT NOT NULL,
    "openaiBaseUrl" TEXT,
    "openaiApiKey" TEXT,
    "anthropicApiKey" TEXT,
    "ollamaUrl" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UserAiSettings_pkey" PRIMARY KEY ("userId")
);
ALTER TABLE "UserAiSettings" ADD CONSTRAINT "UserAiSettings_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
