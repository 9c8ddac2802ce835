export { ProfilesPage } from './ProfilesPage';
export { SignUpPage } from './SignUpPage';
export { LogPage } from './LogPage';
export { ImportPage, UnfinishedJobsOffer } from './ImportPage';
export { SeedPage } from './SeedPage';
