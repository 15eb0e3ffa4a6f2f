-- Assistant attachments (issue 11): the files and selections a user attached to a message.
-- AlterTable
ALTER TABLE "Message" ADD COLUMN "attachments" JSONB;
