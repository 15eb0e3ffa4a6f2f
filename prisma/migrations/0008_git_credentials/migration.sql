-- A user's git token per host (issue 13). Tokens are sealed (AES-256-GCM, key from AUTH_SECRET).
CREATE TABLE "UserGitCredential" (
    "userId" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "username" TEXT,
    "token" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UserGitCredential_pkey" PRIMARY KEY ("userId","host")
);
ALTER TABLE "UserGitCredential" ADD CONSTRAINT "UserGitCredential_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
