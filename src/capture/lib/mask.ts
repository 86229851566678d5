const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[a-z]{2,}/gi;

/** Replaces anything shaped like an e-mail address: visible text and search terms can carry one. */
export const maskEmails = (s: string): string => s.replace(EMAIL, '[email]');
