/** Deletes everything about a user; implemented over the database in src/store/privacy.ts. */
export interface Privacy {
  /** Resolves once nothing about the user is left, with how many records went. */
  forgetUser(userId: number): Promise<{ total: number }>;
}
