// The export history of each project (ExportRecord rows): one row per finished download — a ZIP
// of the files, a full or incremental bundle, a conversation on its own — with who took it, when
// and how many bytes. A download cut off before its end is not recorded (the log says so).
import type { ExportKind, ExportRecordDto } from '../contracts';
import type { PrismaClient } from '../db';

/** The most a listing returns: the newest first. */
const LIST_LIMIT = 200;

export class ExportHistory {
  constructor(private readonly prisma: PrismaClient) {}

  async record(userId: string, projectId: string, kind: ExportKind, bytes: number | null): Promise<void> {
    await this.prisma.exportRecord.create({
      data: { userId, projectId, kind, bytes: bytes === null ? null : BigInt(bytes) },
    });
  }

  /** The project's exports, newest first. The caller has checked the project is the user's. */
  async list(projectId: string): Promise<ExportRecordDto[]> {
    const rows = await this.prisma.exportRecord.findMany({
      where: { projectId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: LIST_LIMIT,
      include: { user: { select: { id: true, name: true, email: true } } },
    });
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind as ExportKind,
      createdAt: row.createdAt.toISOString(),
      bytes: row.bytes === null ? null : Number(row.bytes),
      user: row.user,
    }));
  }
}
