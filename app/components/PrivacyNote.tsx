/** The promise the analyzer keeps, said on screen: captures and keys are processed in this page only. */
export function PrivacyNote() {
  return (
    <p className="privacy-note" role="note">
      Nothing leaves your machine: captures and key logs are decoded in this browser tab, and no request carries them
      anywhere.
    </p>
  );
}
