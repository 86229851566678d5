/** The page a URL names for "once per page" purposes: without the fragment unless `hash` is set. */
export const pageKey = (url: string = location.href, hash?: boolean): string => (hash ? url : url.split('#')[0]);
