import { EXPORT_FORMAT, type AccountExport } from '@kneadback/shared/schemas/account';
import type { CurrentUser } from '@kneadback/shared/schemas/user';
import type { AuthService } from '../auth/service.ts';

/** Collects one part of a user's data export (JSON-ready). */
export type ExportSection = (user: CurrentUser) => Promise<unknown>;
/** Removes one feature's data about a user who deletes their account. */
export type DeletionStep = (userId: string) => Promise<void>;

/**
 * "Your data": the export and the deletion of an account. Each feature that keeps data about a
 * person registers an export section and a deletion step (see register.ts), so adding a feature
 * (technique notes, exchange requests, ...) adds to both without changing this class.
 */
export class AccountService {
  private readonly sections = new Map<string, ExportSection>();
  private readonly deletionSteps: DeletionStep[] = [];

  constructor(private readonly auth: AuthService) {}

  addExportSection(name: string, collect: ExportSection): void {
    if (this.sections.has(name)) throw new Error(`export section ${name} registered twice`);
    this.sections.set(name, collect);
  }

  addDeletionStep(step: DeletionStep): void {
    this.deletionSteps.push(step);
  }

  async export(user: CurrentUser): Promise<AccountExport> {
    const sections: Record<string, unknown> = {};
    for (const [name, collect] of this.sections) sections[name] = await collect(user);
    return { format: EXPORT_FORMAT, version: 1, exportedAt: new Date().toISOString(), userId: user.id, sections };
  }

  /**
   * After the password is confirmed, every feature forgets the user, then the account itself is
   * anonymised and signed out everywhere. A step that fails leaves the account working, so trying
   * again finishes the job (every step is safe to repeat).
   */
  async delete(userId: string, password: string): Promise<void> {
    await this.auth.confirmPassword(userId, password);
    for (const step of this.deletionSteps) await step(userId);
    await this.auth.retire(userId);
  }
}
