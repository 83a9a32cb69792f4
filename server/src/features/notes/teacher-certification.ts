import type { Certification } from '@kneadback/shared/schemas/profile';

/** A therapist's teaching certifications as their profile shows them to everyone; null if it does not. */
export type TeachingCertifications = (userId: string) => Promise<Certification[] | null>;

/**
 * Whether a lesson's teacher holds a teaching certification for what they taught, as their
 * profile says: a teaching certification whose title or modality is what the note names
 * (case-insensitively); null when their profile does not show certifications.
 */
export async function teacherHoldsCertification(
  teachingCertifications: TeachingCertifications,
  teacherId: string,
  certification: string,
): Promise<boolean | null> {
  const held = await teachingCertifications(teacherId);
  if (!held) return null;
  const named = certification.trim().toLowerCase();
  return held.some((c) => c.title.toLowerCase() === named || c.modality.toLowerCase() === named);
}
