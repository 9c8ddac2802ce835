/** Bumped after every sign-up attempt so the Log screen knows to reload its first page. */
export const activity = $state({ signUps: 0 });
