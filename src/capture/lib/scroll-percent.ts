/** How much of the page has been in view, 0–100 (100 for a page that does not scroll). */
export function scrollPercent(): number {
  const h = Math.max(document.documentElement.scrollHeight, document.body?.scrollHeight | 0);
  const seen = scrollY + innerHeight;
  // One pixel of slack: fractional scroll positions stop just short of the bottom.
  return seen + 1 >= h ? 100 : Math.floor((seen / h) * 100);
}
