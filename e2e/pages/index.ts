export { AppShell, type ScreenName } from './AppShell';
export { ProfilesPage, type ProfileFields, type ProfileField } from './ProfilesPage';
export { SignUpPage, type SignUpDetails, type ExpectedResult } from './SignUpPage';
export { LogPage, type ExpectedEntry } from './LogPage';
export { fillAndLeave } from './fields';
export { ImportPage, JobPanel, SendSettings, UnfinishedJobsOffer, openImportScreen } from './ImportPage';
export type { Detected, JobCount, JobState, PasswordPolicy } from './ImportPage';
export { SeedPage, type SeedPattern } from './SeedPage';
