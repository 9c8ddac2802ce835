export { AppShell, type ScreenName } from './AppShell';
export { ProfilesPage, type ProfileFields, type ProfileField } from './ProfilesPage';
export { SignUpPage, type SignUpDetails, type ExpectedResult } from './SignUpPage';
export { LogPage, type ExpectedEntry } from './LogPage';
export { fillAndLeave } from './fields';
