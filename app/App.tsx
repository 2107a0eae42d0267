/** The analyzer shell: start page until a trace is open. */
import { useState } from 'react';
import { StartPage } from './components/StartPage.tsx';

export function App() {
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="sl-root">
      <StartPage
        onOpen={(files) => setError(`Decoding ${files.map((file) => file.name).join(', ')} is not available yet: the capture decoder has not landed.`)}
        error={error}
      />
    </div>
  );
}
