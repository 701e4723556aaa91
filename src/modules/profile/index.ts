import type { LotseModule } from '../../core/module.ts';
import { profileJobs, profileRecurring } from './jobs.ts';
import { profileRoutes } from './routes.tsx';
import { profilePrivacy } from './privacy.ts';

export { ServerProfileSection, PROFILE_SYNC_SCRIPT } from './section.tsx';
export { requestSignIn, SIGNIN_LIMITS } from './request-sign-in.ts';
export { inspectSignInLink, completeSignIn } from './complete-sign-in.ts';
export { saveProfile, loadProfile } from './save-profile.ts';
export { giveConsent } from './give-consent.ts';
export { exportAccount, type AccountExport } from './export-account.ts';
export { deleteAccount } from './delete-account.ts';
export { applyProfileRetention } from './apply-retention.ts';
export { profileSchema, CONSENT_VERSION } from './profile-data.ts';
export { CITIZEN_COOKIE } from './routes.tsx';

/** "Mein Northeim" on the server: optional citizen accounts (e-mail link, consent) holding the profile. */
export const module: LotseModule = {
  name: 'profile',
  privacy: profilePrivacy,
  routes(app) {
    profileRoutes(app);
  },
  jobs: profileJobs,
  recurring: profileRecurring,
};
