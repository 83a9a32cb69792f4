/**
 * Whether a lesson's teacher holds a teaching certification for what they taught, as their
 * profile says: true/false, or null while unknown.
 *
 * PLUG-IN POINT for the lead: profiles with certifications are built on branch
 * partners-profiles. After merging, answer here from the teacher's profile (e.g. a certification
 * whose name matches `certification`, case-insensitively). Until then nobody's profile confirms
 * anything, so readers see only the writer's own claim (`teacherClaimsCertification`).
 */
export async function teacherHoldsCertification(teacherId: string, certification: string): Promise<boolean | null> {
  void teacherId;
  void certification;
  return null;
}
