/** A citation such as "RFC 4253 §7.1" as a link to that section of the RFC (an ordinary link: nothing is fetched). */
export function rfcHref(cite: string): string | null {
  const match = /RFC\s*(\d+)(?:\s*§\s*([\d.]+))?/i.exec(cite);
  if (!match) return null;
  return `https://www.rfc-editor.org/rfc/rfc${match[1]}${match[2] ? `#section-${match[2].replace(/\.$/, '')}` : ''}`;
}

export function Rfc({ cite }: { cite: string }) {
  const href = rfcHref(cite);
  return href ? <cite className="lesson-rfc"><a href={href} target="_blank" rel="noreferrer">{cite}</a></cite> : <cite className="lesson-rfc">{cite}</cite>;
}
