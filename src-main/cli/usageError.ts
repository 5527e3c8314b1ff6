/** A problem the user can fix (bad argument, missing folder, invalid model set): one line, exit 2. */
export class UsageError extends Error {}
