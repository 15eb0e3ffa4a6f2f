-- "Undo this turn" (issue 11): when a turn's files were restored; a second undo is refused.
ALTER TABLE "Turn" ADD COLUMN "undoneAt" TIMESTAMP(3);
