/**
 * Whether `el` is inside `[data-ct-ignore]`; without `el`, whether the whole page is (the
 * attribute on `<html>` or `<body>`): page-level captures and adapters then send nothing.
 */
export const ignored = (el?: Element | null): boolean => !!(el || document.body || document.documentElement)?.closest('[data-ct-ignore]');
