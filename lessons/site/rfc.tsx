/**
 * A citation as a link to what it cites (an ordinary link: nothing is fetched): "RFC 4253 §7.1" to that section of
 * the RFC, "draft-ietf-sshm-strict-kex" to the draft's page, "OpenSSH PROTOCOL §1.5" or "OpenSSH
 * PROTOCOL.chacha20poly1305" to that file of OpenSSH's source.
 */
export function rfcHref(cite: string): string | null {
  const rfc = /RFC\s*(\d+)(?:\s*§\s*([\d.]+))?/i.exec(cite);
  if (rfc) return `https://www.rfc-editor.org/rfc/rfc${rfc[1]}${rfc[2] ? `#section-${rfc[2].replace(/\.$/, '')}` : ''}`;
  const draft = /^(draft-[a-z0-9-]+)/.exec(cite);
  if (draft) return `https://datatracker.ietf.org/doc/${draft[1]}/`;
  const openssh = /^OpenSSH (PROTOCOL(?:\.[a-z0-9-]+)?)/.exec(cite);
  if (openssh) return `https://github.com/openssh/openssh-portable/blob/master/${openssh[1]}`;
  return null;
}

export function Rfc({ cite }: { cite: string }) {
  const href = rfcHref(cite);
  return href ? <cite className="lesson-rfc"><a href={href} target="_blank" rel="noreferrer">{cite}</a></cite> : <cite className="lesson-rfc">{cite}</cite>;
}
