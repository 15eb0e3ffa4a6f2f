-- AlterTable
ALTER TABLE "DeployEnvironment" ADD COLUMN     "plan" JSONB;

